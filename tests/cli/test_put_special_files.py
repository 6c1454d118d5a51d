"""`offload put` never reads through a symlink and never opens a FIFO, socket or device."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from offload.errors import UnsafePathError
from offload.ops.workfiles import open_regular
from testing.cli import CliResult, run_offload
from testing.repos import GitRepo

SECRET = b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
# A FIFO that is opened blocks until a writer appears: a put that opens one never returns.
# This bound turns such a hang into a failure instead of a stuck suite.
HANG_BOUND_S = 60


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "home" / ".aws" / "credentials"
    path.parent.mkdir(parents=True)
    path.write_bytes(SECRET)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


def put(repo: GitRepo, store: Path, *args: str | Path) -> CliResult:
    return run_offload("put", *args, cwd=repo.path, env={"OFFLOAD_STORE": str(store)},
                       timeout=HANG_BOUND_S)


def stored_contents(store: Path) -> Iterator[bytes]:
    return (p.read_bytes() for p in store.rglob("*") if p.is_file())


def recorded_paths(repo: GitRepo) -> list[str]:
    lock = repo.path / "offload.lock"
    lines = lock.read_text(encoding="utf-8").splitlines() if lock.exists() else []
    return [line.split('"path": "')[1].split('"')[0] for line in lines]


def test_folder_with_planted_symlinks_publishes_only_regular_files(
        repo: GitRepo, store: Path, secret: Path) -> None:
    repo.write("docs/frame.png", b"\x89PNG real frame")
    (repo.path / "docs/notes.png").symlink_to(secret)
    (repo.path / "docs/aws").symlink_to(secret.parent, target_is_directory=True)
    (repo.path / "docs/inside.png").symlink_to("frame.png")
    result = put(repo, store, "docs")
    assert result.rc == 0, result.output
    assert recorded_paths(repo) == ["docs/frame.png"]
    assert all(SECRET not in data for data in stored_contents(store))
    for name in ("docs/notes.png", "docs/aws", "docs/inside.png"):
        assert f"skipped {name}: a symbolic link" in result.stderr
    assert "Traceback" not in result.output


def test_symlink_named_explicitly_is_refused_with_exit_3(
        repo: GitRepo, store: Path, secret: Path) -> None:
    (repo.path / "notes.png").symlink_to(secret)
    (repo.path / "creds").symlink_to(secret.parent, target_is_directory=True)
    for target in ("notes.png", "creds"):
        result = put(repo, store, target)
        assert result.rc == 3, result.output
        assert "symbolic link" in result.stderr and "next:" in result.stderr
    assert not store.exists() or all(SECRET not in d for d in stored_contents(store))
    assert recorded_paths(repo) == []


def test_fifo_and_socket_in_a_folder_are_skipped_unopened(
        repo: GitRepo, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("renders/shot.png", b"\x89PNG shot")
    os.mkfifo(repo.path / "renders/pipe.png")
    listener = socket.socket(socket.AF_UNIX)
    with monkeypatch.context() as here:
        here.chdir(repo.path / "renders")  # AF_UNIX paths are limited to ~100 bytes
        listener.bind("live.sock")
    try:
        result = put(repo, store, "renders")
    finally:
        listener.close()
    assert result.rc == 0, result.output
    assert recorded_paths(repo) == ["renders/shot.png"]
    assert "skipped renders/pipe.png: a FIFO" in result.stderr
    assert "skipped renders/live.sock: a socket" in result.stderr


def test_fifo_named_explicitly_is_refused_without_blocking(repo: GitRepo, store: Path) -> None:
    os.mkfifo(repo.path / "pipe.png")
    result = put(repo, store, "pipe.png")
    assert result.rc == 2, result.output
    assert "is a FIFO, not a regular file" in result.stderr and "next:" in result.stderr


def test_names_that_are_not_utf8(repo: GitRepo, store: Path) -> None:
    bad = os.fsdecode(b"frame-\xff.png")
    repo.write("shots/ok.png", b"\x89PNG ok")
    (repo.path / "shots" / bad).write_bytes(b"\x89PNG latin")
    folder = put(repo, store, "shots")
    assert folder.rc == 0, folder.output
    assert recorded_paths(repo) == ["shots/ok.png"]
    assert "skipped shots/frame-\\xff.png: its name is not UTF-8" in folder.stderr
    named = put(repo, store, Path("shots") / bad)
    assert named.rc == 2 and "not UTF-8" in named.stderr and "next:" in named.stderr
    assert "Traceback" not in folder.output + named.output


def test_open_regular_refuses_a_link_swapped_in(tmp_path: Path) -> None:
    """The check is on the descriptor: a file replaced by a link after the walk is refused."""
    target = tmp_path / "real.png"
    target.write_bytes(b"x")
    link = tmp_path / "swapped.png"
    link.symlink_to(target)
    with pytest.raises(UnsafePathError):
        open_regular(link)
    os.close(open_regular(target))
