"""A rolled-back run can be run again: offload's own reflog entries do not make the clone
look used, a move of the user's own still does."""

from __future__ import annotations

from testing.repos import GitRepo

from .helpers import PLAN, offload, refs


def test_history_run_again_after_rollback(clone: GitRepo, env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    first = offload(clone, env, "migrate", "run", PLAN)
    assert first.rc == 0, first.output
    assert "warning:" not in first.stderr  # public URLs: no file:// warning
    migrated = refs(clone)
    assert offload(clone, env, "migrate", "rollback", PLAN).rc == 0
    again = offload(clone, env, "migrate", "run", PLAN)
    assert again.rc == 0, again.output
    assert refs(clone) == migrated  # the same plan gives the same commits
    assert offload(clone, env, "migrate", "rollback", PLAN).rc == 0
    new_plan = offload(clone, env, "migrate", "plan", "--json")
    assert new_plan.rc == 0, new_plan.output
    clone.git("reset", "-q", "--hard", "HEAD")  # the user's own move, after offload's
    refused = offload(clone, env, "migrate", "run", new_plan.json()["plan"])
    assert refused.rc == 5 and "fresh clone" in refused.stderr and "reflog" in refused.stderr


def test_tip_run_rolled_back_then_history_run(clone: GitRepo, env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    assert offload(clone, env, "migrate", "run", PLAN, "--mode", "tip").rc == 0
    assert offload(clone, env, "migrate", "rollback", PLAN).rc == 0
    again = offload(clone, env, "migrate", "run", PLAN)
    assert again.rc == 0, again.output
