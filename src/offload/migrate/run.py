"""`offload migrate run`: the phases of a run, each recorded in the journal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.errors import FindingsError, GitStateError
from offload.migrate.inventory import Asset, Inventory
from offload.migrate.journal import Journal
from offload.migrate.planfile import read_plan
from offload.migrate.recipe import Rules, rules_from_plan
from offload.migrate.safety import reflog_action
from offload.workspace import Workspace


def journal_for(ws: Workspace, name: str) -> Journal:
    return Journal(ws.repo.common_dir / "offload" / "migrate" / name)


@reflog_action("migrate run")  # its ref moves are told from the user's by the next run
def run_plan(ws: Workspace, plan_path: Path, *, mode: str = "history", jobs: int = 8,
             dry_run: bool = False, force: bool = False, allow_missing: bool = False,
             prune_backup: bool = False) -> dict[str, Any]:
    from offload.migrate.safety import (
        refuse_dirty,
        refuse_not_fresh,
        refuse_shallow,
        refuse_unrewritable,
    )

    data = read_plan(plan_path, skip=("references",))  # the rows are for review, not the run
    name = str(data["name"])
    rules = rules_from_plan(data, ws.config)
    journal = journal_for(ws, name)
    if journal.done("finished"):
        return dict(data.get("result") or {})
    refuse_shallow(ws.root)
    if mode == "history":
        refuse_unrewritable(ws.root, f"offload migrate run {plan_path}")
    if not journal.started:  # on a rerun, leftovers of the crashed run are ours
        refuse_dirty(ws.root)
    original: dict[str, str] = dict(data["refs"]["original"])
    if mode == "history" and not force and not journal.started:
        refuse_not_fresh(ws.root)
    _refuse_moved_refs(ws, name, original, journal)
    inv = _inventory(ws, rules, original)
    assets, missing = _fetch_missing(ws, inv, allow_missing, dry_run)
    from offload.migrate.upload import upload_versions, versions_of

    versions = versions_of(rules, assets)
    if dry_run:
        return _dry_run_report(name, mode, versions, missing, original)
    if not journal.started:
        journal.mark_phase("started", {"mode": mode})
    record = None
    if mode == "tip":
        from offload.migrate.tip import run_tip

        sent = upload_versions(ws, journal, versions, jobs)
        result = run_tip(ws, rules, inv, assets, versions, journal)
    else:
        from offload.migrate.history.runrecord import RunRecord

        record = RunRecord()
        sent, result = _upload_and_rewrite(ws, name, rules, inv, assets, original, journal,
                                           versions, jobs, record)
    result.update({"mode": mode, "uploads": sent, "missing_objects": missing})
    from offload.migrate.finish import finish

    return finish(ws, plan_path, data, result, versions, journal, prune_backup, record)


def _upload_and_rewrite(ws: Workspace, name: str, rules: Rules, inv: Inventory,
                        assets: dict[str, Asset], original: dict[str, str], journal: Journal,
                        versions: list[Any], jobs: int, record: Any
                        ) -> tuple[dict[str, int], dict[str, Any]]:
    """The history rewrite needs only keys and URLs: it runs while the uploads are in flight,
    and the refs are updated (and "rewritten" journaled) only once every upload is done."""
    from concurrent.futures import ThreadPoolExecutor

    from offload.migrate.finish import rewrite_phase
    from offload.migrate.upload import upload_versions

    with ThreadPoolExecutor(max_workers=1) as pool:
        uploads = pool.submit(upload_versions, ws, journal, versions, jobs)
        try:
            result = rewrite_phase(ws, name, rules, inv, assets, original, journal,
                                   uploads.result, record)
        except BaseException:
            uploads.cancel()
            raise
    return uploads.result(), result


def _inventory(ws: Workspace, rules: Rules, original: dict[str, str]) -> Inventory:
    from offload.migrate.plan import build_inventory

    return build_inventory(ws, rules, original)


def _refuse_moved_refs(ws: Workspace, name: str, original: dict[str, str],
                       journal: Journal) -> None:
    """The plan describes the refs as they were; a changed ref needs a new plan."""
    from offload.migrate.refs import selected_refs

    if journal.started:
        return
    which = "all" if any(r.startswith("refs/tags/") for r in original) else "branches"
    now = selected_refs(ws.root, which)
    moved = sorted(r for r in set(now) | set(original) if now.get(r) != original.get(r))
    if moved:
        raise GitStateError(
            f"refs changed since plan {name} was made: {', '.join(moved)}",
            "make a new plan with `offload migrate plan` and review it",
        )


def _fetch_missing(ws: Workspace, inv: Inventory, allow_missing: bool,
                   dry_run: bool) -> tuple[dict[str, Asset], list[dict[str, Any]]]:
    from offload.migrate.inventory import lfs_object_path

    def absent() -> list[Asset]:
        return [a for a in inv.assets.values()
                if a.kind == "lfs" and not lfs_object_path(ws.repo.common_dir, a.sha256).is_file()]

    if absent() and not dry_run:
        from offload.git.run import run_git

        run_git("lfs", "fetch", "--all", cwd=ws.root, check=False)
    lacking = absent()
    ordered = sorted(lacking, key=lambda a: a.sha256)
    missing: list[dict[str, Any]] = [{"oid": a.sha256, "size": a.size, "paths": sorted(a.paths)}
                                     for a in ordered]
    if lacking and not allow_missing and not dry_run:
        shown = "; ".join(f"{a.sha256[:12]}… ({', '.join(sorted(a.paths))})" for a in ordered)
        raise FindingsError(
            f"{len(missing)} LFS object(s) are missing locally and on the LFS server: {shown}",
            "find a copy (another clone: `git lfs push --all origin`) and rerun, or pass "
            "--allow-missing to leave those pointers and their references as they are",
        )
    if dry_run:  # a real run would fetch these first
        return dict(inv.assets), missing
    gone = {a.blob for a in lacking}
    return {b: a for b, a in inv.assets.items() if b not in gone}, missing


def _dry_run_report(name: str, mode: str, versions: list[Any], missing: list[dict[str, Any]],
                    original: dict[str, str]) -> dict[str, Any]:
    return {"plan": name, "mode": mode, "dry_run": True, "would_upload": len(versions),
            "would_upload_bytes": sum(v.asset.size for v in versions),
            "not_local_yet": missing, "would_rewrite_refs": sorted(original)}
