"""Files offload writes follow the umask; `url` of an unknown path and `watch status` without a
daemon exit with the codes a script can test."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG


@pytest.fixture(params=[0o022, 0o027])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)  # inherited by the offload subprocesses
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_lock_and_downloads_follow_the_umask(repo: GitRepo, umask: int) -> None:
    expected = 0o666 & ~umask
    repo.write("shots/a.png", PNG)
    assert run_offload("put", "shots", "--untrack", cwd=repo.path).rc == 0
    assert mode(repo.path / "offload.lock") == expected
    (repo.path / "shots/a.png").unlink()
    assert run_offload("pull", cwd=repo.path).rc == 0
    assert mode(repo.path / "shots/a.png") == expected
    assert run_offload("get", "shots/a.png", "-o", "dl", cwd=repo.path).rc == 0
    assert mode(repo.path / "dl/a.png") == expected


def test_url_of_an_unknown_path_exits_1(repo: GitRepo) -> None:
    result = run_offload("url", "shots/nothing.png", cwd=repo.path)
    assert result.rc == 1, result.output
    assert "not in offload.lock" in result.stderr and "next:" in result.stderr


def test_watch_status_without_a_daemon_exits_3(repo: GitRepo) -> None:
    text = run_offload("watch", "status", cwd=repo.path)
    assert text.rc == 3 and "watch daemon: not running" in text.stdout, text.output
    as_json = run_offload("watch", "status", "--json", cwd=repo.path)
    assert as_json.rc == 3 and as_json.json()["running"] is False
