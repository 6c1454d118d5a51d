"""`offload migrate plan`: inventory the history and write the plan file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.migrate.inventory import Inventory
from offload.migrate.recipe import Rules, key_for
from offload.workspace import Workspace


def build_inventory(ws: Workspace, rules: Rules, refs: dict[str, str]) -> Inventory:
    from offload.migrate.gitwalk.gitdata import walk_history
    from offload.migrate.inventory import take_inventory

    commits = list(walk_history(ws.root, sorted(set(refs.values()))))
    return take_inventory(ws.root, ws.repo.common_dir, refs, rules, commits)


def _parse_ahead(ws: Workspace, inv: Inventory, rules: Rules, cache: Any) -> None:
    from offload.migrate.references.parseahead import parse_ahead
    from offload.migrate.references.prefilter import reference_prefilter

    parse_ahead(ws.root, inv.commits, rules, reference_prefilter(rules.include, inv.asset_paths),
                cache)


def make_plan(ws: Workspace, *, include_plain: bool = False, refs: str = "all",
              recipe: Path | None = None, output: Path | None = None) -> Path:
    from offload.errors import UsageError
    from offload.migrate.history.signatures import dropped_signatures
    from offload.migrate.planfile import FORMAT, next_plan_path, plan_name, write_plan
    from offload.migrate.recipe import load_rules
    from offload.migrate.refs import selected_refs
    from offload.migrate.safety import refuse_shallow
    from offload.migrate.scan import scan_references

    if refs not in ("all", "branches"):
        raise UsageError(f"--refs must be `all` or `branches`, not {refs!r}",
                         "use --refs all (branches and tags) or --refs branches")
    refuse_shallow(ws.root)
    rules = load_rules(ws.config, recipe, include_plain)
    selected = selected_refs(ws.root, refs)
    if rules.site_roots is None:
        from dataclasses import replace

        from offload.migrate.sites.detect import detect_in_commits

        rules = replace(rules, site_roots=tuple(detect_in_commits(ws.root, selected.values())))
    inv = build_inventory(ws, rules, selected)
    scanned: dict[str, int] = {}
    from offload.migrate.references.scancache import ScanCache

    cache = ScanCache.open(ws.repo.common_dir)  # the run of this clone reads it back
    try:
        _parse_ahead(ws, inv, rules, cache)
        found = scan_references(ws.root, inv, rules, scanned, cache)
    finally:
        if cache is not None:
            cache.close()
    objects = _objects(ws, rules, inv)
    summary = _summary(inv, objects, found)
    summary["signatures_dropped"] = dropped_signatures(ws.root, selected)
    summary["document_versions"] = scanned
    summary["site_roots"] = [f"{r.base or '/'} ({r.found_by})" for r in rules.roots]
    path = output or next_plan_path(ws.root / "migrations", rules.name)
    data: dict[str, Any] = {
        "offload_migration": FORMAT,
        "name": plan_name(path),
        "refs": {"selection": refs, "original": selected},
        "recipe": rules.to_yaml(),
        "store": ws.backend.description,
        "public_url": ws.public_base(),
        "summary": summary,
        "objects": objects,
        "corrupt_pointers": inv.corrupt,
        "skipped": inv.skipped,
        "references": found,
        "result": None,
    }
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    write_plan(path, data, shown)
    return path


def _objects(ws: Workspace, rules: Rules, inv: Inventory) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for asset in sorted(inv.assets.values(), key=lambda a: (min(a.paths), a.blob)):
        rows.append({
            "blob": asset.blob, "kind": asset.kind, "sha256": asset.sha256, "size": asset.size,
            "local": asset.local,
            "paths": [{"path": p, "key": key_for(rules, p, asset.sha256, asset.size)}
                      for p in sorted(asset.paths)],
        })
    from offload.migrate.verify.store import matches, present_in_store

    wanted = {e["key"]: (row["size"], row["sha256"]) for row in rows for e in row["paths"]}
    found = present_in_store(ws.backend, wanted)
    for row in rows:
        for entry in row["paths"]:
            entry["in_store"] = matches(found[entry["key"]], row["size"], row["sha256"])
    return rows


def _summary(inv: Inventory, objects: list[dict[str, Any]],
             found: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    unique = {o["sha256"]: o["size"] for o in objects}
    versions = [e for o in objects for e in o["paths"]]
    missing = sorted({o["sha256"] for o in objects if not o["local"] and o["kind"] == "lfs"})
    note = None
    if not inv.commits:
        note = "the repository has no commits: nothing to migrate"
    elif not objects:
        note = "no LFS objects (or selected binaries) in the selected history: nothing to migrate"
    return {
        "refs": len(inv.refs), "commits": len(inv.commits),
        "objects": len(unique), "versions": len(versions), "bytes": sum(unique.values()),
        "lfs_objects": len({o["sha256"] for o in objects if o["kind"] == "lfs"}),
        "plain_objects": len({o["sha256"] for o in objects if o["kind"] == "plain"}),
        "missing_locally": missing,
        "already_in_store": sum(1 for e in versions if e["in_store"]),
        "references": len(found["rewrite"]), "dangling": len(found["dangling"]),
        "not_utf8": len(found["not_utf8"]), "report_mentions": len(found["report"]),
        "template_references": len(found["template"]),
        "left_alone": len(found["left_alone"]),
        "corrupt_pointers": len(inv.corrupt), "note": note,
    }
