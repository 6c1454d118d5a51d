"""The benchmark's synthetic LFS repository generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synthrepo import SynthSpec, fresh_clone, make_synthetic_repo
from testing.repos import git, lfs_available

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")


def test_shape_and_fetchable_objects(tmp_path: Path) -> None:
    spec = SynthSpec(commits=30, objects=90, object_size=3000, documents=6, seed=7)
    repo = make_synthetic_repo(tmp_path / "origin.git", spec)
    clone = fresh_clone(repo, tmp_path / "clone")
    assert int(git("rev-list", "--count", "main", cwd=clone)) == 30
    assert git("cat-file", "-t", "v1", cwd=clone).strip() == "tag"
    oids = {line.split()[0] for line in git("lfs", "ls-files", "--all", "--long", cwd=clone).splitlines()}
    assert len(oids) == 90 and repo.lfs_bytes == 90 * 3000
    fetched = list((clone / ".git" / "lfs" / "objects").rglob("*"))
    assert sum(1 for p in fetched if p.is_file()) == 90
    versions = git("log", "--format=%H", "--", *repo.asset_paths, cwd=clone).split()
    assert len(set(repo.asset_paths)) < 90  # some paths were rewritten across commits
    assert len(versions) == 30
    docs = git("ls-tree", "-r", "--name-only", "main", "docs", cwd=clone).split()
    assert len(docs) == 6
    assert "](/renders/" in git("show", f"main:{docs[0]}", cwd=clone)


def test_same_seed_same_commits(tmp_path: Path) -> None:
    spec = SynthSpec(commits=5, objects=8, object_size=100, documents=2)
    a = make_synthetic_repo(tmp_path / "a.git", spec)
    b = make_synthetic_repo(tmp_path / "b.git", spec)
    assert git("rev-parse", "main", cwd=a.remote) == git("rev-parse", "main", cwd=b.remote)


def test_doubled_spec() -> None:
    assert SynthSpec(10, 20, 5, 3).doubled() == SynthSpec(20, 40, 5, 6)
