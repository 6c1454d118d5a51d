"""`offload gc` on the embedded local store: exactly the garbage goes, references stay."""

from __future__ import annotations

import json
from pathlib import Path

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo

from .gc_scenes import build_scene, orphan_claim_body, put, snapshot

CLAIM = "characters/mira/turnaround/.claims/v7"


def store_of(repo: GitRepo) -> Path:
    return repo.path / ".git" / "offload" / "store"


def objects(root: Path) -> set[str]:
    return {k for k in snapshot(root) if not k.startswith(".offload-meta/")}


def test_gc_removes_exactly_the_garbage(repo: GitRepo) -> None:
    scene = build_scene(repo, {})
    store = store_of(repo)
    (store / CLAIM).write_bytes(orphan_claim_body())
    killed = store / "art" / ".tmp-offload-killed"  # what a put killed mid-copy leaves
    killed.write_bytes(b"half an image")
    meta_tmp = store / ".offload-meta" / "art" / ".tmp-offload-123-x.json"
    meta_tmp.write_text("{")
    before = snapshot(store)
    assert scene.referenced | scene.garbage | {CLAIM} <= objects(store)

    dry = run_offload("gc", "--dry-run", "--older-than", "0s", "--json", cwd=repo.path)
    assert dry.rc == 0, dry.output
    listed = {(g["kind"], g["key"]) for g in dry.json()["garbage"]}
    expected = {("unreferenced", k) for k in scene.garbage} | {
        ("orphan-claim", CLAIM), ("temp-file", "art/.tmp-offload-killed"),
        ("temp-file", ".offload-meta/art/.tmp-offload-123-x.json")}
    assert listed == expected
    assert snapshot(store) == before and dry.json()["deleted"] == []

    real = run_offload("gc", "--older-than", "0s", "--json", cwd=repo.path)
    assert real.rc == 0, real.output
    assert {(g["kind"], g["key"]) for g in real.json()["deleted"]} == expected
    assert objects(store) == scene.referenced
    assert not killed.exists() and not meta_tmp.exists()
    log = Path(real.json()["log"])
    assert log.parent == repo.path / ".git" / "offload" / "gc"
    logged = {(r["kind"], r["key"]) for r in map(json.loads, log.read_text().splitlines())}
    assert logged == expected
    verify = run_offload("verify", "--all", cwd=repo.path)
    assert verify.rc == 0, verify.output
    again = run_offload("gc", "--older-than", "0s", "--json", cwd=repo.path)
    assert again.rc == 0 and again.json()["garbage"] == []


def test_fresh_garbage_survives_the_default_age(repo: GitRepo) -> None:
    key = put(repo, {}, "art/fresh.png", "fresh")
    (repo.path / "offload.lock").unlink()
    result = run_offload("gc", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    assert result.json()["garbage"] == [] and result.json()["kept"]["too_young"] == 1
    assert (store_of(repo) / key).is_file()
    old = run_offload("gc", "--older-than", "0s", "--dry-run", "--json", cwd=repo.path)
    assert [g["key"] for g in old.json()["garbage"]] == [key]


def test_gc_refuses_when_a_ref_cannot_be_read(repo: GitRepo) -> None:
    key = put(repo, {}, "art/a.png", "a")
    (repo.path / "offload.lock").unlink()
    (repo.path / ".git" / "refs" / "heads" / "broken").write_text("0" * 39 + "1\n")
    result = run_offload("gc", "--older-than", "0s", cwd=repo.path)
    assert result.rc == ExitCode.GIT_STATE, result.output
    assert "error: gc refused" in result.stderr and "next:" in result.stderr
    assert "broken" in result.stderr
    assert (store_of(repo) / key).is_file()


def test_gc_refuses_a_shared_store_without_all_repos_listed(repo: GitRepo,
                                                            tmp_path: Path) -> None:
    env = {"OFFLOAD_STORE": str(tmp_path / "shared")}
    key = put(repo, env, "art/a.png", "a")
    lock = (repo.path / "offload.lock").read_text()
    (repo.path / "offload.lock").unlink()
    refused = run_offload("gc", "--older-than", "0s", cwd=repo.path, env=env)
    assert refused.rc == ExitCode.GIT_STATE, refused.output
    assert "--all-repos-listed" in refused.stderr and "other repositories" in refused.stderr
    assert (tmp_path / "shared" / key).is_file()
    # another repository using the store still references it: naming it keeps the object
    other = GitRepo(tmp_path / "other")
    other.write("offload.lock", lock)
    other.add("offload.lock")
    other.commit("uses the shared object")
    kept = run_offload("gc", "--older-than", "0s", "--all-repos-listed", "--repo", other.path,
                       "--json", cwd=repo.path, env=env)
    assert kept.rc == 0, kept.output
    assert kept.json()["deleted"] == [] and (tmp_path / "shared" / key).is_file()
    ok = run_offload("gc", "--older-than", "0s", "--all-repos-listed", "--json", cwd=repo.path,
                     env=env)
    assert ok.rc == 0, ok.output
    assert [g["key"] for g in ok.json()["deleted"]] == [key]
    assert not (tmp_path / "shared" / key).exists()


def test_uncommitted_uploads_of_every_worktree_are_kept(repo: GitRepo, tmp_path: Path) -> None:
    agent = repo.worktree(tmp_path / "agent", "agent")
    staged = put(agent, {}, "art/staged.png", "staged")
    agent.add("offload.lock")  # the index names only this upload...
    (agent.path / "offload.lock").write_text("")
    in_file = put(agent, {}, "art/unstaged.png", "unstaged")  # ...and the file only this one
    assert "staged.png" not in (agent.path / "offload.lock").read_text().replace("unstaged", "")
    result = run_offload("gc", "--older-than", "0s", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    assert result.json()["garbage"] == [] and result.json()["kept"]["referenced"] == 2
    assert (store_of(repo) / in_file).is_file() and (store_of(repo) / staged).is_file()


def test_gc_refuses_during_an_unfinished_migration(repo: GitRepo) -> None:
    key = put(repo, {}, "art/a.png", "a")
    (repo.path / "offload.lock").unlink()
    journal = repo.path / ".git" / "offload" / "migrate" / "0001-lfs-to-store" / "journal.jsonl"
    journal.parent.mkdir(parents=True)
    journal.write_text('{"data": {"mode": "history"}, "phase": "started"}\n')
    result = run_offload("gc", "--older-than", "0s", cwd=repo.path)
    assert result.rc == ExitCode.GIT_STATE, result.output
    assert "run 0001-lfs-to-store has not finished" in result.stderr and "next:" in result.stderr
    assert (store_of(repo) / key).is_file()
