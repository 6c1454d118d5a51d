"""offload status names a migration killed half-way, and says how to finish or undo it."""

from __future__ import annotations

from testing.repos import GitRepo

from .helpers import PLAN, offload


def test_status_shows_an_unfinished_migration(clone: GitRepo, env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    killed = offload(clone, {**env, "OFFLOAD_TEST_CRASH": "rewrite"}, "migrate", "run", PLAN,
                     "--jobs", "1")
    assert killed.rc == -9, killed.output
    status = offload(clone, env, "status", "--json")
    assert status.rc == 0, status.output
    [run] = status.json()["migrations"]
    assert run["name"] == "0001-lfs-to-store" and run["command"] == "migrate"
    text = offload(clone, env, "status").stdout
    assert "migrate run 0001-lfs-to-store in progress" in text
    assert f"offload migrate run {PLAN}" in text and f"offload migrate rollback {PLAN}" in text
    assert offload(clone, env, "migrate", "run", PLAN).rc == 0
    assert offload(clone, env, "status", "--json").json()["migrations"] == []
