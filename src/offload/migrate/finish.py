"""The rewrite phase of history mode and the results written into the plan file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from offload.migrate.history.runrecord import RunRecord
from offload.migrate.inventory import Asset, Inventory
from offload.migrate.journal import Journal
from offload.migrate.recipe import Rules
from offload.workspace import Workspace


def back_up_and_reset(ws: Workspace, name: str, original: dict[str, str],
                      journal: Journal) -> None:
    """Before any history rewrite (every recipe): note which refs the run creates, back the
    originals up, and start from them every time, so a rerun after a crash gives the same
    commits."""
    from offload.migrate.refs import list_refs, set_refs, write_backup

    if not journal.done("backed_up"):
        local = list_refs(ws.root, "refs/heads", "refs/tags")
        journal.mark_phase("backed_up", {"created": sorted(r for r in original
                                                           if r not in local)})
    write_backup(ws.root, name, original)
    set_refs(ws.root, original)


def rewrite_phase(ws: Workspace, name: str, rules: Rules, inv: Inventory,
                  assets: dict[str, Asset], original: dict[str, str],
                  journal: Journal, before_refs: Callable[[], object] = lambda: None,
                  record: RunRecord | None = None) -> dict[str, Any]:
    """``before_refs`` runs before the rewritten refs are written (it waits for the uploads
    running alongside: refs never name URLs whose objects are not in the store yet)."""
    from offload.migrate.refs import list_refs

    if journal.done("rewritten"):
        return dict(journal.phases["rewritten"])
    back_up_and_reset(ws, name, original, journal)
    commit_map: dict[str, str] = {}
    unresolved: list[dict[str, Any]] = []
    if assets:
        from offload.migrate.history.filter import rewrite_history

        commit_map, unresolved = rewrite_history(ws, rules, inv, assets, sorted(original),
                                                 before_refs, record)
    before_refs()
    new_refs = list_refs(ws.root, *sorted(original))
    result = {"commits_rewritten": len(commit_map), "commit_map": commit_map,
              "refs": {r: {"old": original[r], "new": new_refs.get(r)} for r in original},
              "created_branches": journal.phases["backed_up"]["created"],
              "unresolved_references": unresolved,
              "push_commands": ["git push --force --all origin", "git push --force --tags origin"]
              if assets else []}
    journal.mark_phase("rewritten", result)
    return result


def finish(ws: Workspace, plan_path: Path, data: dict[str, Any], result: dict[str, Any],
           versions: list[Any], journal: Journal, prune_backup: bool,
           record: RunRecord | None = None) -> dict[str, Any]:
    """Verify, then write the results into the plan file ``data`` was read from (once).
    ``record``: what this run's history rewrite wrote (verify then reuses it)."""
    from offload.migrate.planfile import write_result

    objects: dict[str, dict[str, str | None]] = {}
    for v in versions:
        objects.setdefault(v.asset.sha256, {})[v.path] = ws.url_for(v.key)
    result["objects"] = len({v.asset.sha256 for v in versions})
    result["versions"] = len(versions)
    result["bytes"] = sum(size for size in {v.asset.sha256: v.asset.size
                                            for v in versions}.values())
    result["object_urls"] = objects
    data["result"] = result
    confirmed = frozenset((v.key, v.asset.size, v.asset.sha256) for v in versions
                          if v.key in journal.uploaded)
    if record is not None and record.filled:
        from offload.migrate.verify.run import verify_recorded

        result["verification"] = verify_recorded(ws, data, record, confirmed)
    else:
        from offload.migrate.verify.plan import verify_plan

        result["verification"] = verify_plan(ws, plan_path, data, confirmed)
    if prune_backup:
        from offload.migrate.refs import drop_backup

        drop_backup(ws.root, str(data["name"]))
        result["backup_pruned"] = True
    data["result"] = result
    write_result(plan_path, result)
    journal.mark_phase("finished")
    return result
