"""Refusals and bad input: dirty tree, not fresh, shallow, empty, no LFS, missing, corrupt."""

from __future__ import annotations

from pathlib import Path

from testing.repos import GitRepo, git

from .conftest import Production
from .helpers import PLAN, offload, plan_data, refs


def test_dirty_and_not_fresh_are_refused(production: Production, clone: GitRepo,
                                         env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    (clone.path / "docs/story.md").write_text("changed\n")
    dirty = offload(clone, env, "migrate", "run", PLAN)
    assert dirty.rc == 5 and "uncommitted changes" in dirty.stderr
    origin = production.origin
    assert offload(origin, env, "migrate", "plan", "-o", str(origin.path.parent / "p.yaml")).rc == 0
    stale = offload(origin, env, "migrate", "run", str(origin.path.parent / "p.yaml"))
    assert stale.rc == 5 and "fresh clone" in stale.stderr and "reflog" in stale.stderr


def test_dry_run_changes_nothing(clone: GitRepo, env: dict[str, str], tmp_path: Path) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    before = refs(clone)
    result = offload(clone, env, "migrate", "run", PLAN, "--dry-run", "--json")
    assert result.rc == 0, result.output
    assert result.json()["would_upload"] == 6
    assert refs(clone) == before and not (tmp_path / "store").exists()
    assert plan_data(clone)["result"] is None


def test_shallow_clone_is_refused(production: Production, tmp_path: Path,
                                  env: dict[str, str]) -> None:
    git("clone", "-q", "--depth", "1", production.origin.remote.path.as_uri(),
        str(tmp_path / "shallow"), cwd=tmp_path, env={"GIT_LFS_SKIP_SMUDGE": "1"})
    result = offload(GitRepo(tmp_path / "shallow", init=False), env, "migrate", "plan")
    assert result.rc == 5 and "shallow" in result.stderr and "--unshallow" in result.stderr


def test_empty_and_no_lfs_repositories_are_no_ops(tmp_path: Path, env: dict[str, str]) -> None:
    empty = GitRepo(tmp_path / "empty")
    plan = offload(empty, env, "migrate", "plan", "--json")
    assert plan.rc == 0 and "no commits" in plan.json()["summary"]["note"]
    plain = GitRepo(tmp_path / "plain")
    plain.commit_files({"README.md": "![x](a.png)\n"}, "docs")
    plan = offload(plain, env, "migrate", "plan", "--json")
    assert plan.rc == 0 and "no LFS objects" in plan.json()["summary"]["note"]
    before = refs(plain)
    run = offload(plain, env, "migrate", "run", PLAN, "--force", "--json")
    assert run.rc == 0, run.output
    assert run.json()["commits_rewritten"] == 0 and refs(plain) == before


def test_missing_object_stops_unless_allowed(production: Production, tmp_path: Path,
                                             env: dict[str, str]) -> None:
    data = plan_data_for(production, tmp_path, env)
    scene = next(o for o in data["objects"] if o["paths"][0]["path"] == "scenes/s1.jpg")
    oid = scene["sha256"]
    remote_obj = production.origin.remote.path / "lfs/objects" / oid[:2] / oid[2:4] / oid
    saved = remote_obj.read_bytes()
    remote_obj.unlink()
    try:
        clone = production.origin.clone(tmp_path / "m", skip_smudge=True)
        assert offload(clone, env, "migrate", "plan").rc == 0
        stopped = offload(clone, env, "migrate", "run", PLAN)
        assert stopped.rc == 1 and oid[:12] in stopped.stderr and "--allow-missing" in \
            stopped.stderr
        allowed = offload(clone, env, "migrate", "run", PLAN, "--allow-missing", "--json")
        assert allowed.rc == 0, allowed.output
        result = allowed.json()
        assert [m["oid"] for m in result["missing_objects"]] == [oid]
        assert result["verification"]["ok"], result["verification"]
        head = result["commit_map"][production.commits["merge"]]
        assert 'src="s1.jpg"' in clone.git("show", f"{head}:scenes/s1.html")
    finally:
        remote_obj.write_bytes(saved)


def plan_data_for(production: Production, tmp_path: Path, env: dict[str, str]) -> dict[str, object]:
    probe = production.origin.clone(tmp_path / "probe", skip_smudge=True)
    assert offload(probe, env, "migrate", "plan").rc == 0
    return plan_data(probe)


def test_object_not_matching_oid_is_refused(clone: GitRepo, env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    clone.git("lfs", "fetch", "--all")
    data = plan_data(clone)
    oid = data["objects"][0]["sha256"]
    obj = clone.path / ".git/lfs/objects" / oid[:2] / oid[2:4] / oid
    obj.unlink()  # git-lfs may hard-link objects from a file:// remote: never write in place
    obj.write_bytes(b"x" * data["objects"][0]["size"])
    result = offload(clone, env, "migrate", "run", PLAN)
    assert result.rc == 1 and "do not match their oid" in result.stderr


def test_corrupt_pointer_is_listed(tmp_path: Path, env: dict[str, str]) -> None:
    from testing.repos import LfsRepo

    repo = LfsRepo(tmp_path / "c")
    bad = b"version https://git-lfs.github.com/spec/v1\noid sha256:nothex\nsize 3\n"
    blob = repo.git("hash-object", "-w", "--stdin", input=bad).strip()
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{blob},bad.png")
    repo.commit("corrupt pointer")
    result = offload(repo, env, "migrate", "plan", "--json")
    assert result.rc == 0, result.output
    assert result.json()["corrupt_pointers"][0]["path"] == "bad.png"
