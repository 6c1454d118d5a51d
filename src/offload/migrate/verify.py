"""`offload migrate verify`: check every rewritten commit against the store and the plan."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.workspace import Workspace


def verify_plan(ws: Workspace, plan_path: Path, data: dict[str, Any] | None = None,
                confirmed: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``data``: the plan as already read; ``confirmed``: keys this run has just uploaded or
    found with their size and sha256 (a listing with the right size is enough for those)."""
    from offload.migrate.gitdata import read_blobs, walk_history
    from offload.migrate.inventory import Inventory
    from offload.migrate.planfile import read_plan
    from offload.migrate.recipe import rules_from_plan
    from offload.migrate.scan import walk_states

    data = data if data is not None else read_plan(plan_path)
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
    locks = _parse_locks(contents)
    all_urls = {u for paths in result.get("object_urls", {}).values() for u in paths.values()
                if u}
    finder = re.compile("|".join(re.escape(u) for u in sorted(all_urls, key=len,
                                                               reverse=True))) if all_urls else None
    inv = Inventory(refs={}, commits=commits)
    checked: set[tuple[str, str | None]] = set()
    rights: dict[str, set[str]] = {}
    for commit_id, state in walk_states(inv, interesting):
        lock_blob = state.get("offload.lock", "")
        lock = locks.get(lock_blob, {})
        for path, blob in state.items():
            if path == "offload.lock" or (blob, state.get("offload.lock")) in checked:
                continue
            checked.add((blob, state.get("offload.lock")))
            if lock_blob not in rights:
                rights[lock_blob] = {e.url for e in lock.values() if e.url}
            problems += _check_doc(commit_id, path, contents.get(blob, b""), lock,
                                   rights[lock_blob], finder)
    problems += _check_store(ws, locks, confirmed)
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


def _parse_locks(contents: dict[str, bytes]) -> dict[str, dict[str, Any]]:
    """Each lock blob as path -> Entry; consecutive locks share most lines, parsed once."""
    from offload.manifest import parse_manifest

    parsed: dict[str, Any] = {}  # line -> Entry, or None when it is not a manifest line
    locks: dict[str, dict[str, Any]] = {}
    for blob, text in contents.items():
        if not text.startswith(b"{"):
            continue
        try:
            lines = text.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        entries: dict[str, Any] = {}
        for line in lines:
            if not line.strip():
                continue
            if line not in parsed:
                try:
                    parsed[line] = next(iter(parse_manifest(line).values()))
                except Exception:  # a document that starts with "{" is not a lock
                    parsed[line] = None
            if parsed[line] is None:
                break
            entries[parsed[line].path] = parsed[line]
        else:
            locks[blob] = entries
    return locks


def _check_store(ws: Workspace, locks: dict[str, dict[str, Any]],
                 confirmed: frozenset[str]) -> list[str]:
    from offload.migrate.storecheck import present_in_store

    wanted = {(e.key, e.size, e.sha256) for lock in locks.values() for e in lock.values()}
    found = present_in_store(ws.backend, {k: (size, sha) for k, size, sha in wanted},
                             lambda key: key in confirmed)
    problems = []
    for key, size, sha256 in sorted(wanted):
        info = found[key]
        if info is None:
            problems.append(f"{key} is not in the store")
        elif info.size != size or info.sha256 not in (None, sha256):
            problems.append(f"{key} in the store differs from offload.lock (size or sha256)")
    return problems
