"""``offload demo``: build the sample repository, then plan → run → verify on the local store."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from offload.errors import FindingsError


def run_demo(dest: Path) -> dict[str, Any]:
    """Everything the demo reports, as plain data (``offload demo --json`` prints it)."""
    from offload.migrate import plan_migration, run_migration, verify_migration
    from offload.migrate.demo.measure import measure_clone
    from offload.migrate.demo.repo import build_demo_repo
    from offload.migrate.planfile import read_plan
    from offload.workspace import Workspace

    demo = build_demo_repo(dest)
    before = measure_clone(demo.clone)
    ws = Workspace.discover(demo.clone)
    plan_path = plan_migration(ws)
    planned = read_plan(plan_path)["summary"]
    result = run_migration(ws, plan_path)
    verification = verify_migration(ws, plan_path)
    after = measure_clone(demo.clone)
    store_root = Path(getattr(ws.backend, "root", demo.clone))
    report: dict[str, Any] = {
        "repository": str(demo.clone),
        "lfs_remote": str(demo.remote),
        "store": ws.backend.description,
        "plan": str(plan_path),
        "objects": planned["objects"],
        "bytes_moved": _store_bytes(store_root),
        "before": asdict(before),
        "after": asdict(after),
        "references_rewritten": planned["references"],
        "dangling_references": planned["dangling"],
        "commits": planned["commits"],
        "verified": bool(verification.get("ok")),
        "run": result,
        "verification": verification,
    }
    if not report["verified"]:
        raise FindingsError(
            f"the demo migration did not verify: see {plan_path}",
            f"run `offload migrate verify {plan_path}` in {demo.clone} for the details",
        )
    return report


def _store_bytes(root: Path) -> int:
    """Bytes of objects in the local store (its metadata sidecars excluded)."""
    if not root.is_dir():
        return 0
    return sum(p.stat().st_size for p in root.rglob("*")
               if p.is_file() and ".offload-meta" not in p.relative_to(root).parts)
