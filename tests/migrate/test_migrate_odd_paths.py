"""A path with a newline, and --prune-backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.repos import LfsRepo

from .conftest import PUBLIC, png
from .helpers import PLAN, offload, plan_data

NEWLINE_NAME = "frames/two\nlines.png"


@pytest.fixture
def odd_clone(tmp_path: Path) -> LfsRepo:
    origin = LfsRepo(tmp_path / "odd")
    origin.commit_files({NEWLINE_NAME: png("nl"), "frames/plain.png": png("plain"),
                         "notes.md": "![p](frames/plain.png)\n"}, "odd names")
    origin.push()
    return origin


def test_newline_in_a_path_is_migrated_with_a_safe_key(odd_clone: LfsRepo, tmp_path: Path) -> None:
    clone = odd_clone.clone(tmp_path / "clone", skip_smudge=True)
    env = {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
    assert offload(clone, env, "migrate", "plan").rc == 0
    paths = [p["path"] for o in plan_data(clone)["objects"] for p in o["paths"]]
    assert NEWLINE_NAME in paths
    run = offload(clone, env, "migrate", "run", PLAN, "--prune-backup")
    assert run.rc == 0, run.output
    tree = clone.git("ls-tree", "-r", "-z", "--name-only", "main").split("\0")
    assert NEWLINE_NAME not in tree and "frames/plain.png" not in tree
    lock = clone.git("show", "main:offload.lock")
    assert "two\\nlines" in lock  # JSON-escaped path in the manifest
    keys = [line.split('"key": "')[1].split('"')[0] for line in lock.splitlines()]
    assert all("\n" not in key and "\\n" not in key for key in keys)
    assert all((tmp_path / "store" / key).is_file() for key in keys)
    # --prune-backup: no backup refs are left, and rollback says why it cannot help
    assert clone.git("for-each-ref", "refs/offload/backup") == ""
    rollback = offload(clone, env, "migrate", "rollback", PLAN)
    assert rollback.rc != 0 and "--prune-backup" in rollback.stderr
    verify = offload(clone, env, "migrate", "verify", PLAN)
    assert verify.rc == 0, verify.output
