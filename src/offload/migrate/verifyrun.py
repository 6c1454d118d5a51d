"""The verification at the end of a history run, from what the rewrite recorded: its commit
list (no second walk), the lock entries it rendered (no lock parse) and the documents it
rewrote with the URL put in for each reference (no re-scan). ``offload migrate verify PLAN``
keeps its independent checks (verify.py)."""

from __future__ import annotations

from typing import Any

from offload.migrate.runrecord import DocWrite, RunRecord
from offload.migrate.verifyurls import UrlFinder
from offload.workspace import Workspace


def verify_recorded(ws: Workspace, data: dict[str, Any], record: RunRecord,
                    confirmed: frozenset[tuple[str, int, str]]) -> dict[str, Any]:
    from offload.migrate.verify import _check_store
    from offload.migrate.verifytrees import migrated_paths, tree_problems

    result = data["result"]
    missing = {m["oid"] for m in result.get("missing_objects") or []}
    selected = {o["blob"] for o in data["objects"] if o["sha256"] not in missing}
    commit_map: dict[str, str] = result.get("commit_map") or {}
    commits = record.renamed(commit_map)
    paths, allowed = migrated_paths(data, missing)
    problems = tree_problems(ws.root, commits, selected, paths, allowed)
    finder = UrlFinder(e.url for e in record.entries.values() if e.url)
    checked: set[tuple[int, str | None]] = set()
    for doc in record.docs:
        if (id(doc.result), doc.lock) in checked:
            continue
        checked.add((id(doc.result), doc.lock))
        problems += doc_problems(record, doc, commit_map.get(doc.commit, doc.commit), finder)
    history_problems = len(problems)
    problems += _check_store(ws, record.wanted(), confirmed)
    return {"ok": not problems, "commits_checked": len(commits), "problems": problems[:200],
            "problem_count": len(problems), "history_problems": history_problems,
            "store_problems": len(problems) - history_problems}


def doc_problems(record: RunRecord, doc: DocWrite, commit: str, finder: UrlFinder) -> list[str]:
    """Every URL the rewrite put in is the one of this commit's offload.lock for that path;
    no reference left as written resolves to a path of that lock; a store URL the document
    held before names a version of this commit."""
    where = f"{commit[:12]}: {doc.path}"
    lock = record.lock_paths(doc.versions, doc.lock)
    problems = [f"{where} line {r.line} still points at {r.target}"
                for r in doc.result.unresolved if r.resolved in lock]
    for ref in doc.result.rewritten:
        url = doc.urls.get(ref.resolved or "")
        if url is None or url != lock.get(ref.resolved or ""):
            problems.append(f"{where} links {url}, not this commit's version")
    if doc.present is not None and finder:
        right = set(record.lock_paths(doc.present, doc.lock).values())
        text = doc.original.decode("utf-8", "replace")
        problems += [f"{where} links {url}, not this commit's version"
                     for url in finder.finditer(text) if url not in right]
    return problems
