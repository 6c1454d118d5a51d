"""`offload migrate verify`: check every rewritten commit against the store and the plan."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.workspace import Workspace


def verify_plan(ws: Workspace, plan_path: Path) -> dict[str, Any]:
    from offload.manifest import parse_manifest
    from offload.migrate.gitdata import read_blobs, walk_history
    from offload.migrate.inventory import Inventory
    from offload.migrate.planfile import read_plan
    from offload.migrate.recipe import rules_from_plan
    from offload.migrate.scan import walk_states

    data = read_plan(plan_path)
    result = data.get("result")
    if not result:
        raise UsageError(f"plan {data['name']} has not been run",
                         f"run it first: offload migrate run {plan_path}")
    rules = rules_from_plan(data, ws.config)
    missing = {m["oid"] for m in result.get("missing_objects") or []}
    selected = {o["blob"] for o in data["objects"] if o["sha256"] not in missing}
    if result.get("mode") == "tip":
        from offload.migrate.tip import tree_as_changes

        commits = [tree_as_changes(ws.root, result["tip"]["new"])]
    else:
        heads = sorted({r["new"] for r in result["refs"].values() if r.get("new")})
        commits = list(walk_history(ws.root, heads))
    problems: list[str] = []
    interesting: set[str] = set()
    blobs: set[str] = set()
    for commit in commits:
        for ch in commit.changes:
            path = ch.path.decode("utf-8", "surrogateescape")
            if ch.blob in selected and not ch.deleted:
                problems.append(f"{commit.commit[:12]}: {path} still holds a migrated blob")
            if path == "offload.lock" or rules.is_doc(path):
                interesting.add(path)
                blobs.add(ch.blob)
    contents = read_blobs(ws.root, blobs)
    locks: dict[str, dict[str, Any]] = {}
    urls_seen: set[str] = set()
    for blob, text in contents.items():
        if text.startswith(b"{"):
            try:
                locks[blob] = parse_manifest(text.decode("utf-8"))
            except Exception:  # a document that starts with "{" is not a lock; skip it
                continue
    all_urls = {u for paths in result.get("object_urls", {}).values() for u in paths.values()
                if u}
    finder = re.compile("|".join(re.escape(u) for u in sorted(all_urls, key=len,
                                                               reverse=True))) if all_urls else None
    inv = Inventory(refs={}, commits=commits)
    checked: set[tuple[str, str | None]] = set()
    for commit_id, state in walk_states(inv, interesting):
        lock = locks.get(state.get("offload.lock", ""), {})
        right = {e.url for e in lock.values() if e.url}
        urls_seen |= {e.key for e in lock.values()}
        for path, blob in state.items():
            if path == "offload.lock" or (blob, state.get("offload.lock")) in checked:
                continue
            checked.add((blob, state.get("offload.lock")))
            problems += _check_doc(commit_id, path, contents.get(blob, b""), lock, right, finder)
    problems += _check_store(ws, locks)
    return {"ok": not problems, "commits_checked": len(commits), "problems": problems[:200],
            "problem_count": len(problems)}


def _check_doc(commit: str, path: str, data: bytes, lock: dict[str, Any], right: set[str],
               finder: re.Pattern[str] | None) -> list[str]:
    from offload.migrate.references import find_references

    problems = [f"{commit[:12]}: {path} line {r.line} still points at {r.target}"
                for r in find_references(path, data, lambda p: p in lock)
                if r.resolved in lock]
    if finder is not None:
        text = data.decode("utf-8", "replace")
        problems += [f"{commit[:12]}: {path} links {m.group()}, not this commit's version"
                     for m in finder.finditer(text) if m.group() not in right]
    return problems


def _check_store(ws: Workspace, locks: dict[str, dict[str, Any]]) -> list[str]:
    wanted = {(e.key, e.size, e.sha256) for lock in locks.values() for e in lock.values()}
    backend = ws.backend

    def check(item: tuple[str, int, str]) -> str | None:
        info = backend.head(item[0])
        if info is None:
            return f"{item[0]} is not in the store"
        if info.size != item[1] or info.sha256 not in (None, item[2]):
            return f"{item[0]} in the store differs from offload.lock (size or sha256)"
        return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [p for p in pool.map(check, sorted(wanted)) if p]
