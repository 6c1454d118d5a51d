"""The benchmark's synthetic LFS repository generator."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bench.migrate import parse_args, production_specs
from bench.synthlarge import LargeSpec
from bench.synthrepo import SynthSpec, fresh_clone, make_synthetic_repo
from testing.repos import git, lfs_available

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")


def test_shape_and_fetchable_objects(tmp_path: Path) -> None:
    spec = SynthSpec(commits=30, objects=90, object_size=3000, documents=6, seed=7)
    repo = make_synthetic_repo(tmp_path / "origin.git", spec)
    clone = fresh_clone(repo, tmp_path / "clone", lfs="fetch")
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


def test_production_shape_small_scale(tmp_path: Path) -> None:
    spec = LargeSpec.at(0.004, seed=3)
    repo = make_synthetic_repo(tmp_path / "origin.git", spec)
    remote = repo.remote
    assert int(git("rev-list", "--all", "--count", cwd=remote)) == spec.commits
    assert int(git("rev-list", "--all", "--merges", "--count", cwd=remote)) >= 1
    heads = git("for-each-ref", "--format=%(refname)", "refs/heads", cwd=remote).split()
    tags = git("for-each-ref", "--format=%(objecttype) %(refname)", "refs/tags", cwd=remote)
    assert len(heads) >= spec.branches * 0.7 and "refs/heads/main" in heads
    assert len(tags.splitlines()) == spec.tags and "tag refs/tags/v0.0" in tags
    sizes = [p.stat().st_size for p in (remote / "lfs" / "objects").rglob("*") if p.is_file()]
    assert len(sizes) >= spec.objects and sum(sizes) == repo.lfs_bytes
    assert all(spec.min_size <= size <= spec.max_size for size in sizes)
    assert len(set(sizes)) > len(sizes) // 2  # drawn, not one size
    changed = git("log", "--all", "--format=", "--name-only", cwd=remote).split()
    assert len({p for p in changed if p.endswith(".md")}) == spec.documents
    assert re.search(r"storyboards/scene\d\d/shot\d\d/v\d+\.png", " ".join(changed))
    tree = set(git("ls-tree", "-r", "--name-only", "main", cwd=remote).split())
    links = 0
    for doc in (p for p in tree if p.endswith(".md")):
        for target in re.findall(r"\]\(([^)]+\.png)\)", git("show", f"main:{doc}", cwd=remote)):
            base = "" if target.startswith("/") else posixpath.dirname(doc)
            assert posixpath.normpath(posixpath.join(base, target.lstrip("/"))) in tree, (doc, target)
            links += 1
    assert links > spec.documents  # every document on main shows images that exist there


def test_production_shape_is_deterministic_and_clones_link(tmp_path: Path) -> None:
    spec = LargeSpec.at(0.002, seed=5)
    a = make_synthetic_repo(tmp_path / "a.git", spec)
    b = make_synthetic_repo(tmp_path / "b.git", spec)
    listing = ("for-each-ref", "--format=%(objectname) %(refname)")
    assert git(*listing, cwd=a.remote) == git(*listing, cwd=b.remote)
    assert a.summary == b.summary and f"{spec.commits} commits" in a.summary
    assert f"{spec.objects} LFS objects" in a.summary and f"{spec.documents} documents" in a.summary
    assert git("rev-parse", "main", cwd=a.remote).strip() == (
        "3aa62491a3550500c6a6d17a4c4d826f8aa11dc9")  # the sweeps measured so far used these ids
    clone = fresh_clone(a, tmp_path / "clone")
    oid = git("lfs", "ls-files", "--all", "--long", cwd=clone).split()[0]
    stored = clone / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    original = a.remote / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    assert stored.stat().st_ino == original.stat().st_ino  # linked, not copied


def test_history_shape_keeps_the_tree_and_scales_the_history(tmp_path: Path) -> None:
    def history(scale: float) -> tuple[LargeSpec, Path]:
        spec = replace(LargeSpec.history_at(scale, tree_scale=0.01, seed=2),
                       min_size=1024, median_size=2048, max_size=8192)  # small objects: fast
        return spec, make_synthetic_repo(tmp_path / f"x{scale:g}.git", spec).remote

    def objects(remote: Path) -> dict[str, int]:
        return {p.name: p.stat().st_size for p in (remote / "lfs" / "objects").rglob("*")
                if p.is_file()}

    def changed(remote: Path) -> set[str]:
        return set(git("log", "--all", "--format=", "--name-only", cwd=remote).split())

    (short, one), (long, two) = history(0.01), history(0.02)
    tree = LargeSpec.at(0.01)
    assert (short.objects, short.documents) == (long.objects, long.documents)
    assert (short.objects, short.documents) == (tree.objects, tree.documents)
    assert (short.commits, long.commits) == (100, 200) and long.branches > short.branches
    for spec, remote in ((short, one), (long, two)):
        assert int(git("rev-list", "--all", "--count", cwd=remote)) == spec.commits
    assert len(git("for-each-ref", cwd=two).splitlines()) > len(
        git("for-each-ref", cwd=one).splitlines())
    assert len(objects(one)) == short.objects and objects(one) == objects(two)  # same objects
    slots = [{posixpath.dirname(p) for p in changed(r) if p.endswith(".png")} for r in (one, two)]
    assert slots[0] == slots[1] and len(slots[0]) == short.objects // 8
    documents = [{p for p in changed(r) if p.endswith(".md")} for r in (one, two)]
    assert documents[0] == documents[1] and len(documents[0]) == short.documents


def test_scale_options() -> None:
    assert parse_args(["--scale", "large"]).scale == 1.0
    assert parse_args(["--scale", "0.1"]).scale == 0.1
    assert parse_args(["--sweep"]).sweep == [0.25, 0.5, 1.0]
    assert parse_args(["--sweep", "0.2,0.05,0.1"]).sweep == [0.05, 0.1, 0.2]
    assert parse_args([]).scale is None and parse_args([]).server is None
    with pytest.raises(SystemExit):
        parse_args(["--scale", "huge"])


def test_history_sweep_options(capsys: pytest.CaptureFixture[str]) -> None:
    args = parse_args(["--sweep", "0.5,0.25,1", "--history-only", "--tree-scale", "0.5",
                       "--offload-only"])
    assert (args.sweep, args.tree_scale, args.offload_only) == ([0.25, 0.5, 1.0], 0.5, True)
    specs = production_specs(args)
    assert [s.commits for s in specs] == [2500, 5000, 10_000]
    assert {(s.objects, s.documents, s.tree_scale) for s in specs} == {(10_000, 250, 0.5)}
    default_tree = production_specs(parse_args(["--scale", "0.1", "--history-only"]))
    assert [(s.commits, s.objects, s.tree_scale) for s in default_tree] == [(1000, 20_000, 1.0)]
    whole = production_specs(parse_args(["--sweep", "0.25,0.5", "--offload-only"]))
    assert whole == [LargeSpec.at(0.25), LargeSpec.at(0.5)]
    assert not parse_args(["--sweep"]).history_only and not parse_args([]).offload_only
    for wrong in (["--history-only"], ["--offload-only"], ["--sweep", "--tree-scale", "0.5"],
                  ["--sweep", "--history-only", "--tree-scale", "9"]):
        with pytest.raises(SystemExit):
            parse_args(wrong)
        assert "usage:" in capsys.readouterr().err
