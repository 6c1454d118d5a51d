"""`offload migrate verify`: check every rewritten commit against the store and the plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.migrate.references import ScannedDocument, scan_document
from offload.migrate.sites import SiteRoot
from offload.migrate.verify.locks import LockIndex
from offload.migrate.verify.scope import commits_to_check, heads, plan_entries, tip_locks
from offload.migrate.verify.urls import UrlFinder
from offload.progress import count_progress
from offload.workspace import Workspace


def verify_plan(ws: Workspace, plan_path: Path, data: dict[str, Any] | None = None,
                confirmed: frozenset[tuple[str, int, str]] = frozenset(), deep: bool = False,
                full: bool = False) -> dict[str, Any]:
    """``data``: the plan as already read; ``confirmed``: (key, size, sha256) this run has just
    uploaded or found in the store, per its journal (not asked of the store again);
    ``deep``: download every object and hash its content, not only its metadata;
    ``full``: walk every commit even when the run's own check passed (see scope.py)."""
    from offload.migrate.gitwalk.blobreader import BlobReader
    from offload.migrate.planfile import read_plan
    from offload.migrate.recipe import rules_from_plan

    data = data if data is not None else read_plan(plan_path)
    result = data.get("result")
    if not result:
        raise UsageError(f"plan {data['name']} has not been run",
                         f"run it first: offload migrate run {plan_path}")
    rules = rules_from_plan(data, ws.config)
    missing = {m["oid"] for m in result.get("missing_objects") or []}
    selected = {o["blob"] for o in data["objects"] if o["sha256"] not in missing}
    commits, seeds, reused = commits_to_check(ws, result, full)
    from offload.migrate.verify.trees import migrated_paths, tree_problems

    paths, allowed = migrated_paths(data, missing)
    problems = tree_problems(ws.root, commits, selected, paths, allowed)
    locks = LockIndex()
    if reused:  # the run's own check covered its commits: their store objects stay to check
        locks.wanted |= plan_entries(data, missing)
        locks.load(ws.root, tip_locks(ws, heads(ws, result)))
    all_urls = {u for paths in result.get("object_urls", {}).values() for u in paths.values()
                if u}
    with BlobReader(ws.root) as reader:
        problems += _check_documents(ws, rules, seeds + commits, {c.commit for c in seeds},
                                     locks, UrlFinder(all_urls), reader)
    history_problems = len(problems)
    problems += _check_store(ws, locks.wanted, confirmed)
    if deep:
        from offload.ops.contentcheck import content_digests

        digests = content_digests(ws.backend, {k: n for k, n, _s in locks.wanted})
        problems += [f"{key} in the store: content sha256 differs from offload.lock"
                     for key, sha256 in sorted({(k, s) for k, _n, s in locks.wanted})
                     if digests[key].sha256 != sha256]
    return {"ok": not problems, "commits_checked": len(commits), "problems": problems[:200],
            "reused_run_check": reused,
            "problem_count": len(problems), "history_problems": history_problems,
            "store_problems": len(problems) - history_problems}


def _check_documents(ws: Workspace, rules: Any, commits: list[Any], seeds: set[str],
                     locks: LockIndex, finder: UrlFinder, reader: Any) -> list[str]:
    """Each document version against the offload.lock of each commit it is in (once per
    pair); ``seeds``: commits that only give their tree to the walk (checked by the run)."""
    from offload.migrate.inventory import Inventory
    from offload.migrate.scan import walk_states

    interesting: set[str] = set()
    for commit in commits:
        for ch in commit.changes:
            path = ch.path.decode("utf-8", "surrogateescape")
            if path == "offload.lock" or rules.is_doc(path):
                interesting.add(path)
    problems: list[str] = []
    checked: set[tuple[str, str | None]] = set()
    documents: dict[str, _Document] = {}  # path -> its version read last
    lock_blobs = [ch.blob for c in commits if c.commit not in seeds for ch in c.changes
                  if ch.path == b"offload.lock" and not ch.deleted]
    locks.load(ws.root, lock_blobs)
    inv = Inventory(refs={}, commits=commits)
    with count_progress("checking history", len(commits), "commits") as advance:
        for commit_id, state in walk_states(inv, interesting):
            advance(1)
            if commit_id not in seeds:
                problems += _check_state(commit_id, state, checked, documents, locks, finder,
                                         rules.roots, reader)
    return problems


@dataclass(frozen=True)
class _Document:
    """One version of a document, parsed once: a large history checks it against the lock of
    every commit it is in, thousands of locks."""

    blob: str
    scanned: ScannedDocument | None  # None: not UTF-8
    urls: tuple[str, ...]  # the store URLs it names


def _check_state(commit_id: str, state: dict[str, str], checked: set[tuple[str, str | None]],
                 documents: dict[str, _Document], locks: LockIndex, finder: UrlFinder,
                 roots: tuple[SiteRoot, ...], reader: Any) -> list[str]:
    problems: list[str] = []
    for path, blob in state.items():
        if path == "offload.lock" or (blob, state.get("offload.lock")) in checked:
            continue
        checked.add((blob, state.get("offload.lock")))
        lock, right = locks.lock(state.get("offload.lock", ""), reader)
        document = documents.get(path)
        if document is None or document.blob != blob:
            document = documents[path] = _read_document(path, blob, finder, roots, reader)
        problems += _check_doc(commit_id, path, document, lock, right)
    return problems


def _read_document(path: str, blob: str, finder: UrlFinder, roots: tuple[SiteRoot, ...],
                   reader: Any) -> _Document:
    data = reader[blob]
    scanned = scan_document(path, data, roots)
    text = scanned.text if scanned is not None else data.decode("utf-8", "replace")
    return _Document(blob, scanned, tuple(finder.finditer(text)) if finder else ())


def _check_doc(commit: str, path: str, document: _Document, lock: dict[str, Any],
               right: set[str]) -> list[str]:
    """A reference that resolves to a migrated path, a store URL not this commit's version."""
    references = document.scanned.references(lock.__contains__) if document.scanned else []
    problems = [f"{commit[:12]}: {path} line {r.line} still points at {r.target}"
                for r in references if r.resolved in lock]
    problems += [f"{commit[:12]}: {path} links {url}, not this commit's version"
                 for url in document.urls if url not in right]
    return problems


def _check_store(ws: Workspace, wanted: set[tuple[str, int, str]],
                 confirmed: frozenset[tuple[str, int, str]]) -> list[str]:
    """Every lock entry against the store, but those the run's journal confirms."""
    from offload.migrate.verify.store import present_in_store

    ask = wanted - confirmed
    found = present_in_store(ws.backend, {k: (size, sha) for k, size, sha in ask})
    problems = []
    for key, size, sha256 in sorted(ask):
        info = found[key]
        if info is None:
            problems.append(f"{key} is not in the store")
        elif info.size != size or info.sha256 not in (None, sha256):
            problems.append(f"{key} in the store differs from offload.lock (size or sha256)")
    return problems
