"""`offload rebase-urls rollback PLAN`: every ref back exactly as the run found it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.workspace import Workspace


def rollback_rebase(ws: Workspace, plan_path: Path) -> dict[str, Any]:
    from offload.git.run import run_git
    from offload.migrate.refs import drop_backup, read_backup, set_refs
    from offload.migrate.run import journal_for
    from offload.migrate.safety import refuse_dirty
    from offload.rebase.planfile import read_rebase_data, write_rebase_plan

    data = read_rebase_data(plan_path)
    name = str(data["name"])
    result = data.get("result") or {}
    journal = journal_for(ws, name)
    refuse_dirty(ws.root)
    tip = result.get("tip") or journal.phases.get("tip_base")  # tip mode, even mid-run
    created: list[str] = []
    if tip:
        restored = {tip["ref"]: tip["old"]}
        set_refs(ws.root, restored)
    else:
        restored = read_backup(ws.root, name)
        if not restored:
            raise UsageError(f"no backup refs for plan {name} (refs/offload/backup/{name}/)",
                             "nothing to roll back: the plan was not run here")
        backed = journal.phases.get("backed_up") or {}
        created = list(backed.get("created") or result.get("created_branches") or [])
        set_refs(ws.root, {r: o for r, o in restored.items() if r not in created}, created)
    run_git("reset", "-q", "--hard", cwd=ws.root)
    drop_backup(ws.root, name)
    shutil.rmtree(journal.folder, ignore_errors=True)
    data["result"] = {**result, "rolled_back": True}
    write_rebase_plan(plan_path, data)
    return {"plan": name, "restored": restored, "deleted_branches": created}
