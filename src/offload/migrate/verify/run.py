"""The verification at the end of a history run, from what the rewrite recorded: its commit
list (no second walk), the lock entries it rendered (no lock parse) and the problems it found
checking each document as it rewrote it (no re-scan). ``offload migrate verify PLAN``
keeps its independent checks (plan.py)."""

from __future__ import annotations

from typing import Any

from offload.migrate.history.runrecord import RunRecord
from offload.workspace import Workspace


def verify_recorded(ws: Workspace, data: dict[str, Any], record: RunRecord,
                    confirmed: frozenset[tuple[str, int, str]]) -> dict[str, Any]:
    from offload.migrate.verify.plan import _check_store
    from offload.migrate.verify.trees import migrated_paths, tree_problems

    result = data["result"]
    missing = {m["oid"] for m in result.get("missing_objects") or []}
    selected = {o["blob"] for o in data["objects"] if o["sha256"] not in missing}
    commit_map: dict[str, str] = result.get("commit_map") or {}
    commits = record.renamed(commit_map)
    paths, allowed = migrated_paths(data, missing)
    problems = tree_problems(ws.root, commits, selected, paths, allowed)
    problems += [f"{commit_map.get(c, c)[:12]}: {path}{what}"
                 for c, path, what in record.doc_problems]
    history_problems = len(problems)
    problems += _check_store(ws, record.wanted(), confirmed)
    return {"ok": not problems, "commits_checked": len(commits), "problems": problems[:200],
            "problem_count": len(problems), "history_problems": history_problems,
            "store_problems": len(problems) - history_problems}
