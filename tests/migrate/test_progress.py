"""Every phase of a migration draws its progress on a terminal: commits walked of the total."""

from __future__ import annotations

import re

from testing.repos import GitRepo
from testing.terminal import run_offload_in_terminal

from .helpers import PLAN


def test_plan_run_and_verify_count_commits_on_a_terminal(clone: GitRepo,
                                                         env: dict[str, str]) -> None:
    total = int(clone.git("rev-list", "--count", "--all").strip())
    steps = {"reading history": ("migrate", "plan"),
             "rewriting history": ("migrate", "run", PLAN),
             "checking history": ("migrate", "verify", PLAN, "--full")}
    for title, args in steps.items():
        rc, output = run_offload_in_terminal(*args, cwd=clone.path, env=env)
        assert rc == 0, output
        counts = re.findall(rf"{title}.*?(\d+)/(\d+) commits", output)
        assert counts, output
        assert all(int(of) >= total - 1 for _done, of in counts), counts
        assert "New history written" not in output  # git-filter-repo's own lines stay hidden
