"""`offload migrate plan` on a real git-lfs repository."""

from __future__ import annotations

from testing.repos import GitRepo

from .helpers import PLAN, offload, plan_data


def test_plan_inventories_history(clone: GitRepo, env: dict[str, str]) -> None:
    result = offload(clone, env, "migrate", "plan", "--json")
    assert result.rc == 0, result.output
    summary = result.json()["summary"]
    # hero v1, v2, v3, the name with a space, the quoted name, the scene
    assert summary["objects"] == 6
    assert summary["lfs_objects"] == 6
    assert len(summary["missing_locally"]) == 6  # cloned with GIT_LFS_SKIP_SMUDGE=1
    assert summary["refs"] == 3 and summary["commits"] == 7
    data = plan_data(clone)
    assert data["name"] == "0001-lfs-to-store" and data["result"] is None
    paths = {p["path"] for o in data["objects"] for p in o["paths"]}
    assert "chars/my hero é.png" in paths and "chars/q'uote \"x\".png" in paths
    rewrite = {(r["file"], r["target"]) for r in data["references"]["rewrite"]}
    assert ("docs/story.md", "../chars/hero.png") in rewrite
    assert ("data/cast.json", "chars/hero.png") in rewrite
    assert ("scenes/s1.html", "s1.jpg") in rewrite
    dangling = {r["target"] for r in data["references"]["dangling"]}
    assert dangling == {"../../etc/x.png", "../chars/none.png"}
    assert data["references"]["not_utf8"] == [{"file": "docs/latin1.md"}]
    assert data["references"]["report"] == [
        {"file": "tools/make.py", "line": 1, "mentions": "chars/hero.png"}]
    skipped = {(s["path"], s["kind"]) for s in data["skipped"]}
    assert skipped == {("chars/link.png", "symlink"), ("vendor/sub", "submodule")}


def test_plan_numbers_files_and_prints_table(clone: GitRepo, env: dict[str, str]) -> None:
    first = offload(clone, env, "migrate", "plan")
    assert first.rc == 0, first.output
    assert "references to rewrite" in first.stdout and PLAN in first.stdout
    second = offload(clone, env, "migrate", "plan", "--refs", "branches", "--json")
    assert second.json()["plan"].endswith("0002-lfs-to-store.yaml")
    assert second.json()["summary"]["refs"] == 2
