"""offload's git calls do not depend on the user's git configuration (issue: a user with
log.showRoot=false pushed an image in the root commit straight past the pre-push hook)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG, configured, hook_env

HOSTILE = """
[log]
\tshowRoot = false
\tshowSignature = true
\tdecorate = full
[diff]
\tnoprefix = true
\tmnemonicPrefix = true
\trenames = copies
\trelative = true
\texternal = /bin/false
[color]
\tui = always
\tdiff = always
[core]
\tquotepath = true
\tautocrlf = true
\tsafecrlf = true
\tfsmonitor = {monitor}
[status]
\tshowUntrackedFiles = no
"""
NEUTRAL = ("-c", "color.ui=false", "-c", "diff.relative=false", "-c", "core.fsmonitor=false",
           "-c", "core.quotepath=false")


@pytest.fixture
def make_hostile(tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """Call it to append hostile settings to ~/.gitconfig (restored afterwards); returns the
    marker file the user's fsmonitor hook creates if anything runs it."""
    gitconfig = Path(os.environ["HOME"]) / ".gitconfig"
    saved = gitconfig.read_bytes()
    marker = tmp_path / "fsmonitor-ran"
    monitor = tmp_path / "fsmonitor.sh"
    monitor.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    monitor.chmod(0o755)
    excludes = tmp_path / "global-excludes"
    excludes.write_text("offload.lock\n")

    def turn_hostile() -> Path:
        hostile = HOSTILE.format(monitor=monitor, excludes=excludes)
        gitconfig.write_bytes(saved + hostile.encode())
        return marker

    try:
        yield turn_hostile
    finally:
        gitconfig.write_bytes(saved)


def test_range_and_pre_push_see_the_root_commit(tmp_path: Path,
                                                 make_hostile: Callable[[], Path]) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("first frame.png", PNG)
    repo.add("first frame.png")
    configured(repo)  # the root commit holds the image and offload.yaml
    root = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    repo.commit_files({"notes.md": "text\n"})
    remote = GitRepo(tmp_path / "remote.git", bare=True)
    repo.git("remote", "add", "origin", str(remote.path))
    assert run_offload("hook", "install", "--pre-push", cwd=repo.path).rc == 0
    make_hostile()
    result = run_offload("check", "--range", "HEAD", "--json", cwd=repo.path)
    assert result.rc == 1, result.output
    found = [(f["path"], f["commit"]) for f in result.json()["findings"]]
    assert found == [("first frame.png", root)]
    push = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo.path,
                          env={**os.environ, **hook_env()}, capture_output=True, text=True)
    assert push.returncode != 0
    assert "first frame.png" in push.stdout + push.stderr
    assert remote.git("for-each-ref").strip() == ""


def test_check_and_fix_under_hostile_config(repo: GitRepo,
                                            make_hostile: Callable[[], Path]) -> None:
    configured(repo)
    repo.write("shots/café.png", PNG)
    repo.write("sub/deep/b.png", PNG + b"b")
    repo.write("board.md", "![a](shots/café.png)\n")
    repo.add("shots", "sub", "board.md")
    marker = make_hostile()
    from_subfolder = run_offload("check", "--staged", "--json", cwd=repo.path / "sub")
    assert from_subfolder.rc == 1, from_subfolder.output
    paths = sorted(f["path"] for f in from_subfolder.json()["findings"])
    assert paths == ["shots/café.png", "sub/deep/b.png"]
    fixed = run_offload("fix", "--json", cwd=repo.path / "sub")
    assert fixed.rc == 0, fixed.output
    assert sorted(e["path"] for e in fixed.json()["offloaded"]) == paths
    assert not marker.exists(), "offload ran the user's fsmonitor hook"
    assert run_offload("check", "--staged", cwd=repo.path).rc == 0
    staged = repo.git(*NEUTRAL, "diff", "--cached", "--name-only", "-z").split("\0")[:-1]
    assert sorted(staged) == [".gitignore", "board.md", "offload.lock"]
    assert "file://" in repo.git(*NEUTRAL, "show", ":board.md")
