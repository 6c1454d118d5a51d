"""Which commits `offload migrate verify` walks.

A history run checks every commit it writes as it writes it and records the outcome in the
plan. A commit id names its whole content and ancestry, so while the run's check passed, the
commits it made are the ones it checked: verify then walks only the commits the refs reach
that the run did not make (added or rewritten since), each from its parent's tree, and still
asks the store for every object of the plan and of the locks at the tips. ``--full`` walks
everything again, for a plan file that came from someone else.
"""

from __future__ import annotations

from typing import Any

from offload.migrate.gitwalk.gitdata import CommitChanges
from offload.workspace import Workspace


def heads(ws: Workspace, result: dict[str, Any]) -> list[str]:
    """The commits the run made and whatever the rewritten refs point at now: a commit added
    on a migrated branch after the run must hold up as well."""
    from offload.migrate.refs import list_refs

    found = {r["new"] for r in result["refs"].values() if r.get("new")}
    now = list_refs(ws.root, "refs/heads", "refs/tags")
    found |= {now[name] for name in result["refs"] if name in now}
    return sorted(found)


def run_checked(result: dict[str, Any]) -> bool:
    check = result.get("verification") or {}
    return result.get("mode") != "tip" and check.get("ok") is True and \
        check.get("history_problems") == 0 and bool(result.get("commit_map"))


def commits_to_check(ws: Workspace, result: dict[str, Any], full: bool
                     ) -> tuple[list[CommitChanges], list[CommitChanges], bool]:
    """(commits to check, parent trees they start from, whether the run's check is reused)."""
    from offload.migrate.gitwalk.gitdata import walk_history
    from offload.migrate.tip import tree_as_changes

    if result.get("mode") == "tip":
        return [tree_as_changes(ws.root, result["tip"]["new"])], [], False
    if full or not run_checked(result):
        return list(walk_history(ws.root, heads(ws, result))), [], False
    made = sorted({r["new"] for r in result["refs"].values() if r.get("new")})
    commits = list(walk_history(ws.root, [*heads(ws, result), "--not", *made]))
    inside = {c.commit for c in commits}
    outside = sorted({c.parents[0] for c in commits if c.parents and c.parents[0] not in inside})
    return commits, [tree_as_changes(ws.root, parent) for parent in outside], True


def plan_entries(data: dict[str, Any], missing: set[str]) -> set[tuple[str, int, str]]:
    """(key, size, sha256) of every object the plan moved."""
    return {(str(e["key"]), int(row["size"]), str(row["sha256"]))
            for row in data["objects"] if row["sha256"] not in missing for e in row["paths"]}


def tip_locks(ws: Workspace, tips: list[str]) -> list[str]:
    """The offload.lock blobs of the given commits."""
    from offload.git.run import run_git

    if not tips:
        return []
    names = "".join(f"{tip}:offload.lock\n" for tip in tips).encode("ascii")
    out = run_git("cat-file", "--batch-check=%(objectname) %(objecttype)", cwd=ws.root,
                  input=names).text
    return [line.split()[0] for line in out.splitlines() if line.endswith(" blob")]
