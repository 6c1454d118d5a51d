"""offload fix: after it the same commit passes; a failed upload leaves everything as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from offload.errors import StoreError
from offload.store.base import Backend, Progress, PutRequest
from offload.workspace import Workspace
from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG, check_json


def test_fix_then_commit_passes(repo: GitRepo) -> None:
    repo.write("shots/a.png", PNG)
    repo.write("shots/gone.png", PNG + b"2")
    repo.write("board.md", "![a](shots/a.png) ![g](/shots/gone.png) ![x](missing.png)\n")
    repo.add("shots", "board.md")
    (repo.path / "shots/gone.png").unlink()
    result = run_offload("fix", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    report = result.json()
    assert sorted(e["path"] for e in report["offloaded"]) == ["shots/a.png", "shots/gone.png"]
    assert report["rewritten"] == ["board.md"] and "missing.png" in str(report["unresolved"])
    staged = repo.git("diff", "--cached", "--name-only").split()
    assert staged == [".gitignore", "board.md", "offload.lock"]
    assert (repo.path / "shots/a.png").read_bytes() == PNG
    assert (repo.path / "shots/gone.png").read_bytes() == PNG + b"2"
    board = repo.git("show", ":board.md")
    assert "file://" in board and "(shots/a.png)" not in board
    assert check_json(repo.path)[0] == 0
    repo.commit("after fix")


def test_fix_keeps_unstaged_edits_unstaged(repo: GitRepo) -> None:
    repo.write("a.png", PNG)
    repo.write("doc.md", "![a](a.png)\n")
    repo.add("a.png", "doc.md")
    repo.write("doc.md", "![a](a.png)\nunstaged line\n")
    assert run_offload("fix", cwd=repo.path).rc == 0
    assert "file://" in repo.git("show", ":doc.md")
    assert "unstaged line" not in repo.git("show", ":doc.md")
    assert "unstaged line" in (repo.path / "doc.md").read_text()


class FailingSecond(Backend):
    """Delegates to the real store, but the second upload fails as a dropped connection."""

    def __init__(self, inner: Backend) -> None:
        self.inner, self.calls = inner, 0

    def put_file(self, request: PutRequest, progress: Progress | None = None) -> None:
        self.calls += 1
        if self.calls == 2:
            raise StoreError("connection reset", "retry")
        self.inner.put_file(request, progress)

    def create_if_absent(self, *args: object, **kwargs: object) -> None:
        raise NotImplementedError

    def head(self, key: str):  # type: ignore[no-untyped-def]
        return self.inner.head(key)

    def download(self, key: str, dest: Path, progress: Progress | None = None) -> None:
        self.inner.download(key, dest, progress)

    def iter_objects(self, prefix: str = ""):  # type: ignore[no-untyped-def]
        return self.inner.iter_objects(prefix)

    def delete(self, key: str) -> None:
        self.inner.delete(key)


def test_upload_failing_half_way_leaves_the_index(repo: GitRepo, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    from offload.guard.fix import fix_staged

    for i in range(3):
        repo.write(f"f{i}.png", PNG + bytes([i]))
    repo.add(".")
    index_before = (repo.path / ".git" / "index").read_bytes()
    monkeypatch.chdir(repo.path)
    ws = Workspace.discover(repo.path)
    ws._backend = FailingSecond(ws.backend)
    with pytest.raises(StoreError):
        fix_staged(ws, jobs=1)
    assert (repo.path / ".git" / "index").read_bytes() == index_before
    assert not (repo.path / "offload.lock").exists()
    assert not (repo.path / ".gitignore").exists()
    assert subprocess.run(["git", "diff", "--cached", "--quiet"], cwd=repo.path).returncode == 1
