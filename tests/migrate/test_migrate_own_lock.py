"""A history that already holds an offload.lock of its own: each rewritten commit's lock is its
own lock merged with the lines of its migrated assets, and follows the lock's removal."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from testing.repos import LfsRepo

from .conftest import PUBLIC, png
from .helpers import PLAN, offload, show


def put(repo: LfsRepo, env: dict[str, str], path: str) -> None:
    """Offload a file the way the team did before migrating: its line joins offload.lock."""
    repo.write(path, png(path))
    assert offload(repo, env, "put", path).rc == 0
    (repo.path / path).unlink()
    repo.add("offload.lock")


def lock_paths(text: str) -> list[str]:
    return [json.loads(line)["path"] for line in text.splitlines()]


def test_each_commit_merges_its_own_lock_with_its_assets(tmp_path: Path) -> None:
    env = {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
    repo = LfsRepo(tmp_path / "origin")
    c = {"a": repo.commit_files({"chars/a.png": png("a1")}, "a")}
    put(repo, env, "renders/old.png")
    c["own"] = repo.commit_files({"chars/b.png": png("b1")}, "an offload.lock of its own")
    c["a2"] = repo.commit_files({"chars/a.png": png("a2")}, "a again")
    put(repo, env, "zz/later.png")
    c["own2"] = repo.commit("own lock grows")
    own2 = (repo.path / "offload.lock").read_text(encoding="utf-8")
    repo.git("rm", "-q", "offload.lock")
    c["gone"] = repo.commit("own lock removed")
    c["c"] = repo.commit_files({"chars/c.png": png("c1")}, "c")
    repo.git("rm", "-q", "chars/a.png", "chars/b.png", "chars/c.png")
    c["empty"] = repo.commit("every asset removed")
    repo.push()
    clone = repo.clone(tmp_path / "clone", skip_smudge=True)
    assert offload(clone, env, "migrate", "plan").rc == 0
    ran = offload(clone, env, "migrate", "run", PLAN, "--json")
    assert ran.rc == 0, ran.output
    new = {name: ran.json()["commit_map"][old] for name, old in c.items()}
    expected = {
        "a": ["chars/a.png"],
        "own": ["chars/a.png", "chars/b.png", "renders/old.png"],
        "a2": ["chars/a.png", "chars/b.png", "renders/old.png"],
        "own2": ["chars/a.png", "chars/b.png", "renders/old.png", "zz/later.png"],
        "gone": ["chars/a.png", "chars/b.png"],
        "c": ["chars/a.png", "chars/b.png", "chars/c.png"],
    }
    for name, paths in expected.items():
        assert lock_paths(show(clone, new[name], "offload.lock")) == paths, name
    assert "offload.lock" not in clone.git("ls-tree", "--name-only", new["empty"])
    sha = hashlib.sha256(png("a2")).hexdigest()
    assert f"{PUBLIC}/chars/a.{sha[:12]}.png" in show(clone, new["own2"], "offload.lock")
    assert set(own2.splitlines()) < set(show(clone, new["own2"], "offload.lock").splitlines())
    checked = offload(clone, env, "migrate", "verify", PLAN)
    assert checked.rc == 0, checked.output


def test_a_run_whose_verification_fails_exits_non_zero(tmp_path: Path) -> None:
    """The history's own lock names an object the store no longer has: the refs are
    rewritten (rollback restores them), but the run says FAILED and exits 1, so a script
    does not go on to push."""
    env = {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
    repo = LfsRepo(tmp_path / "origin")
    repo.commit_files({"chars/a.png": png("a1")}, "a")
    put(repo, env, "renders/old.png")
    repo.commit("an offload.lock of its own")
    repo.push()
    for stored in (tmp_path / "store").rglob("old.*"):
        stored.unlink()  # the store lost it since
    clone = repo.clone(tmp_path / "clone", skip_smudge=True)
    assert offload(clone, env, "migrate", "plan").rc == 0
    ran = offload(clone, env, "migrate", "run", PLAN)
    assert ran.rc == 1, ran.output
    assert "FAILED" in ran.stdout and "renders/old." in ran.stdout
    assert "error: the run's verification" in ran.stderr and "next:" in ran.stderr
    assert "Traceback" not in ran.output
    as_json = offload(clone, env, "migrate", "run", PLAN, "--json")  # the recorded result
    assert as_json.rc == 1 and as_json.json()["verification"]["ok"] is False
    checked = offload(clone, env, "migrate", "verify", PLAN, "--json")  # one JSON object
    assert checked.rc == 1 and checked.json()["ok"] is False
    assert "error: verification of" in checked.stderr
