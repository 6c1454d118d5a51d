"""offload fix is finished by a rerun after a kill, never follows symlinks, and takes any
.gitignore."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG, check_json, store_holds


def staged(repo: GitRepo) -> list[str]:
    return sorted(repo.git("diff", "--cached", "--name-only", "-z").split("\0")[:-1])


@pytest.mark.parametrize("point", ["fix-planned", "fix-unstaged"])
def test_killed_fix_is_finished_by_the_next_run(repo: GitRepo, point: str) -> None:
    repo.write("shots/a.png", PNG)
    repo.write("shots/gone.png", PNG + b"2")
    repo.write("board.md", "![a](shots/a.png) ![g](shots/gone.png)\n")
    repo.add("shots", "board.md")
    (repo.path / "shots/gone.png").unlink()
    killed = run_offload("fix", cwd=repo.path, env={"OFFLOAD_TEST_CRASH": point})
    assert killed.rc == -signal.SIGKILL, killed.output
    if point == "fix-unstaged":  # the state the issue describes: unstaged, not yet ignored
        assert "shots/a.png" not in staged(repo)
        assert not (repo.path / ".gitignore").exists()
    rerun = run_offload("fix", "--json", cwd=repo.path)
    assert rerun.rc == 0, rerun.output
    report = rerun.json()
    assert report["resumed"] is True
    assert sorted(e["path"] for e in report["offloaded"]) == ["shots/a.png", "shots/gone.png"]
    assert staged(repo) == [".gitignore", "board.md", "offload.lock"]
    assert (repo.path / "shots/gone.png").read_bytes() == PNG + b"2"
    assert "file://" in repo.git("show", ":board.md")
    repo.git("add", "-A")  # the artifacts stay out: they are ignored now
    assert staged(repo) == [".gitignore", "board.md", "offload.lock"]
    assert check_json(repo.path)[0] == 0
    again = run_offload("fix", "--json", cwd=repo.path).json()
    assert (again["resumed"], again["offloaded"]) == (False, [])


def test_fix_never_reads_or_writes_through_a_symlink(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "credentials.png").write_bytes(b"[default]\naws_secret_access_key = hunter2\n")
    os.symlink(outside / "credentials.png", repo.path / "notes.png")
    repo.write("shots/a.png", PNG)
    repo.add("notes.png", "shots/a.png")
    # After staging, the folder becomes a link out of the work tree, and the file is gone.
    (repo.path / "shots/a.png").unlink()
    (repo.path / "shots").rmdir()
    os.symlink(outside, repo.path / "shots")
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "skipped symlink notes.png" in result.stdout
    assert "offloaded shots/a.png" in result.stdout and "offloaded notes.png" not in result.stdout
    assert store_holds(repo, PNG)
    assert not store_holds(repo, (outside / "credentials.png").read_bytes())
    assert sorted(p.name for p in outside.iterdir()) == ["credentials.png"]
    assert "notes.png" in staged(repo)
    checked = run_offload("check", "--staged", cwd=repo.path)
    assert checked.rc == 0 and "skipped symlink notes.png" in checked.stderr


def test_fix_uploads_the_staged_version_of_a_file_changed_since(repo: GitRepo) -> None:
    repo.write("render.png", PNG)
    repo.add("render.png")
    repo.write("render.png", PNG + b" newer")
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 0, result.output
    assert store_holds(repo, PNG) and not store_holds(repo, PNG + b" newer")
    assert (repo.path / "render.png").read_bytes() == PNG + b" newer"
    assert staged(repo) == [".gitignore", "offload.lock"]


def test_fix_appends_to_a_latin1_gitignore(repo: GitRepo) -> None:
    original = b"# rendus caf\xe9\r\n*.tmp\r\n"
    repo.write(".gitignore", original)
    repo.add(".gitignore")
    repo.commit("latin-1 ignore file")
    repo.write("a.png", PNG)
    repo.add("a.png")
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 0, result.output
    assert (repo.path / ".gitignore").read_bytes() == original + b"/a.png\r\n"
    assert staged(repo) == [".gitignore", "offload.lock"]
    assert run_offload("fix", cwd=repo.path).rc == 0
    assert (repo.path / ".gitignore").read_bytes() == original + b"/a.png\r\n"


def test_non_utf8_artifact_name_is_refused_before_upload(repo: GitRepo) -> None:
    name = os.fsdecode(b"caf\xe9.png")
    (repo.path / name).write_bytes(PNG)
    repo.git("add", name)
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 1
    assert "caf\\xe9.png" in result.stderr and "not UTF-8" in result.stderr
    assert "Traceback" not in result.output
    assert not store_holds(repo, PNG)
