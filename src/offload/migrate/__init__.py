"""Migration of a repository's LFS history into the store (SPEC §5).

Public API (used by the CLI, ``offload demo`` and the benchmark)::

    plan_path = plan_migration(ws)
    result = run_migration(ws, plan_path)
    report = verify_migration(ws, plan_path)
    rollback_migration(ws, plan_path)

Plan, run and verify cap the process's malloc arenas (``offload.migrate.arenas``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from offload.workspace import Workspace

__all__ = ["plan_migration", "rollback_migration", "run_migration", "verify_migration"]


def plan_migration(ws: Workspace, *, include_plain: bool = False, refs: str = "all",
                   recipe: Path | None = None, output: Path | None = None) -> Path:
    """Inventory the selected refs' history and write the plan file; return its path."""
    from offload.migrate.arenas import cap_malloc_arenas
    from offload.migrate.plan import make_plan

    cap_malloc_arenas()
    return make_plan(ws, include_plain=include_plain, refs=refs, recipe=recipe, output=output)


def run_migration(ws: Workspace, plan_path: Path, mode: str = "history", jobs: int = 8,
                  dry_run: bool = False, force: bool = False, allow_missing: bool = False,
                  prune_backup: bool = False) -> dict[str, Any]:
    """Execute a plan (history or tip mode); return the results written into the plan."""
    from offload.migrate.arenas import cap_malloc_arenas
    from offload.migrate.run import run_plan

    cap_malloc_arenas()
    return run_plan(ws, plan_path, mode=mode, jobs=jobs, dry_run=dry_run, force=force,
                    allow_missing=allow_missing, prune_backup=prune_backup)


def verify_migration(ws: Workspace, plan_path: Path, deep: bool = False, full: bool = False
                     ) -> dict[str, Any]:
    """Check a finished run; ``result["ok"]`` tells whether everything holds. ``deep``: hash
    every stored object's content too; ``full``: walk every commit again, not only those
    the run did not check itself. ``result["left_alone"]``: what the plan listed as left
    as written (warnings, never a failure)."""
    from offload.migrate.arenas import cap_malloc_arenas
    from offload.migrate.planfile import read_plan
    from offload.migrate.verify.left import left_alone_rows
    from offload.migrate.verify.plan import verify_plan

    cap_malloc_arenas()
    data = read_plan(plan_path, skip=("references.rewrite",))  # not needed: the bulk of a plan
    return {**verify_plan(ws, plan_path, data, deep=deep, full=full),
            "left_alone": left_alone_rows(data)}


def rollback_migration(ws: Workspace, plan_path: Path) -> dict[str, Any]:
    """Restore the refs backed up by the run exactly."""
    from offload.migrate.rollback import rollback_plan

    return rollback_plan(ws, plan_path)
