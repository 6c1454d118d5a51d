"""`offload rebase-urls rollback PLAN`: every ref back exactly as the run found it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.workspace import Workspace


def rollback_rebase(ws: Workspace, plan_path: Path) -> dict[str, Any]:
    from offload.migrate.rollback import restore_refs
    from offload.migrate.run import journal_for
    from offload.rebase.planfile import read_rebase_data, write_rebase_plan

    data = read_rebase_data(plan_path)
    name = str(data["name"])
    result = data.get("result") or {}
    tip = result.get("tip") or journal_for(ws, name).phases.get("tip_base")  # even mid-run
    restored, created = restore_refs(ws, name, result, tip)
    data["result"] = {**result, "rolled_back": True}
    write_rebase_plan(plan_path, data)
    return {"plan": name, "restored": restored, "deleted_branches": created}
