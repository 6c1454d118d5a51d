"""`offload demo` end to end: real git-lfs, plan → run → verify on the local store."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import run_offload
from testing.repos import git, lfs_available

pytestmark = [pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed"),
              pytest.mark.slow]


def test_demo_migrates_the_sample_repository(tmp_path: Path) -> None:
    result = run_offload("demo", tmp_path / "demo", "--json", cwd=tmp_path)
    assert result.rc == 0, result.output
    report = result.json()
    film = Path(report["repository"])
    assert report["verified"] is True
    assert report["before"]["lfs_bytes"] > 1_000_000
    assert report["after"]["lfs_bytes"] == 0
    assert report["bytes_moved"] == report["before"]["lfs_bytes"]
    assert report["references_rewritten"] > 0
    for branch in ("main", "kenji"):  # --all would also see the backup refs
        assert git("lfs", "ls-files", branch, cwd=film).strip() == "", branch
    readme = git("show", "main:README.md", cwd=film)
    assert "](<characters/mira/portrait.png>)" not in readme
    assert "file://" in readme
    assert "characters/mira/turnaround/v4.png" in readme  # dangling: left as written
    for ref in ("main", "kenji", "v0.1-animatic"):
        tree = git("ls-tree", "-r", "--name-only", ref, cwd=film).splitlines()
        assert "offload.lock" in tree and not any(p.endswith(".png") for p in tree), ref


def test_demo_text_report(tmp_path: Path) -> None:
    result = run_offload("demo", tmp_path / "d", cwd=tmp_path)
    assert result.rc == 0, result.output
    for label in ("bytes moved to the store", "git pack, before → after", "references rewritten",
                  "verification", "offload serve   # the asset gallery at http://127.0.0.1"):
        assert label in result.stdout


def test_demo_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = run_offload("demo", tmp_path / "busy", cwd=tmp_path)
    assert result.rc == 2
    assert "new folder" in result.stderr
