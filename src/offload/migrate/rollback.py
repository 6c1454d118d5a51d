"""`offload migrate rollback`: put every ref back exactly as the run found it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.migrate.journal import Journal
from offload.workspace import Workspace


def rollback_plan(ws: Workspace, plan_path: Path) -> dict[str, Any]:
    from offload.migrate.planfile import read_plan, write_plan

    data = read_plan(plan_path)
    name = str(data["name"])
    result = data.get("result") or {}
    tip = result["tip"] if result.get("mode") == "tip" else None
    restored, created = restore_refs(ws, name, result, tip)
    data["result"] = {**result, "rolled_back": True}
    write_plan(plan_path, data)
    return {"plan": name, "restored": restored, "deleted_branches": created}


def restore_refs(ws: Workspace, name: str, result: dict[str, Any], tip: dict[str, Any] | None
                 ) -> tuple[dict[str, str], list[str]]:
    """Refs back from the backup (or the tip commit's parent), backup and journal dropped.

    Shared by every recipe's rollback (LFS migration, URL rebase)."""
    from offload.migrate.refs import drop_backup
    from offload.migrate.run import journal_for
    from offload.migrate.safety import reflog_action, refuse_dirty

    journal = journal_for(ws, name)
    refuse_dirty(ws.root)
    with reflog_action(f"rollback {name}"):
        restored, created = _move_refs_back(ws, name, result, tip, journal)
    drop_backup(ws.root, name)
    shutil.rmtree(journal.folder, ignore_errors=True)
    return restored, created


def _move_refs_back(ws: Workspace, name: str, result: dict[str, Any], tip: dict[str, Any] | None,
                    journal: Journal) -> tuple[dict[str, str], list[str]]:
    from offload.git.run import run_git
    from offload.migrate.refs import read_backup, set_refs

    created: list[str] = []
    if tip:
        restored = {tip["ref"]: tip["old"]}
        set_refs(ws.root, restored)
    else:
        restored = read_backup(ws.root, name)
        if not restored:
            raise UsageError(f"no backup refs for plan {name} (refs/offload/backup/{name}/)",
                             "nothing to roll back: the plan was not run here, or its backup "
                             "was pruned with --prune-backup")
        backed = journal.phases.get("backed_up") or {}
        created = list(backed.get("created") or result.get("created_branches") or [])
        set_refs(ws.root, {r: o for r, o in restored.items() if r not in created}, created)
    run_git("reset", "-q", "--hard", cwd=ws.root)
    return restored, created
