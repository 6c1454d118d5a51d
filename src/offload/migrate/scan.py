"""Walk every commit's tree state to find the references a run will rewrite."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from offload.migrate.docs import DocRewriter
from offload.migrate.gitdata import GITLINK, SYMLINK
from offload.migrate.inventory import Inventory, decode_path
from offload.migrate.recipe import Rules
from offload.migrate.templates import TemplateReference, template_references

State = dict[str, str]  # path -> blob, for the paths a migration cares about


def walk_states(inv: Inventory, interesting: set[str]) -> Iterator[tuple[str, State]]:
    """(commit, state) for every commit, parents first; states are freed once unneeded."""
    children = Counter(c.parents[0] for c in inv.commits if c.parents)
    states: dict[str, State] = {}
    for commit in inv.commits:
        parent = commit.parents[0] if commit.parents else None
        state = dict(states.get(parent, {})) if parent else {}
        if parent is not None:
            children[parent] -= 1
            if children[parent] <= 0:
                states.pop(parent, None)
        for ch in commit.changes:
            path = decode_path(ch.path)
            if path not in interesting:
                continue
            if ch.deleted or ch.mode in (GITLINK, SYMLINK):
                state.pop(path, None)
            else:
                state[path] = ch.blob
        if children[commit.commit] > 0:
            states[commit.commit] = state
        yield commit.commit, state


def scan_references(inv: Inventory, rules: Rules, stats: dict[str, int] | None = None
                    ) -> dict[str, list[dict[str, Any]]]:
    """References per (document, target); ``stats`` gets how many document versions were read."""
    asset_paths = inv.asset_paths
    docs = {decode_path(ch.path) for c in inv.commits for ch in c.changes
            if rules.is_doc(decode_path(ch.path))}
    interesting = asset_paths | docs

    rewriter = DocRewriter.for_migration(lambda path, blob: f"offload:{blob}", rules,
                                         asset_paths)
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    dangling: dict[tuple[str, str], dict[str, Any]] = {}
    not_utf8: set[str] = set()
    templated: dict[tuple[str, str], dict[str, Any]] = {}
    left_alone: dict[tuple[str, str], dict[str, Any]] = {}
    template_cache: dict[tuple[str, str], list[TemplateReference]] = {}
    for _commit, state in walk_states(inv, interesting):
        counted: Counted = set()  # each row counts a commit once, however often it occurs
        assets = {p: b for p, b in state.items() if b in inv.assets}
        for path, blob in state.items():
            data = inv.texts.get(blob)
            if data is None or path not in docs:
                continue
            result = rewriter.rewrite(path, blob, data, assets)
            if rewriter.can_refer(path, blob, data):
                if (path, blob) not in template_cache:
                    template_cache[(path, blob)] = template_references(
                        path, data, asset_paths.__contains__)
                for literal in template_cache[(path, blob)]:
                    _tally(templated, counted, (path, literal.literal), path, literal.line,
                           literal.literal, literal.resolves_to)
            if result.not_utf8:
                not_utf8.add(path)
            for ref in result.rewritten:
                _tally(found, counted, (path, ref.target, ref.resolved or ""), path, ref.line,
                       ref.target, ref.resolved)
            for ref in result.unresolved:
                why = "escapes the repository" if ref.resolved is None else "resolves to nothing"
                _tally(dangling, counted, (path, ref.target), path, ref.line, ref.target,
                       ref.resolved, why)
            for ref, why in result.left_alone:
                _tally(left_alone, counted, (path, ref.target), path, ref.line, ref.target,
                       ref.resolved, why)
    if stats is not None:
        stats.update(parsed=len(rewriter.parsed), skipped=len(rewriter.skipped))
    return {
        "rewrite": sorted(found.values(), key=lambda r: (r["file"], r["line"], r["target"])),
        "dangling": sorted(dangling.values(), key=lambda r: (r["file"], r["line"])),
        "not_utf8": [{"file": p} for p in sorted(not_utf8)],
        "template": sorted(templated.values(), key=lambda r: (r["file"], r["line"])),
        "left_alone": sorted(left_alone.values(), key=lambda r: (r["file"], r["line"])),
        "report": _mentions(inv, rules, asset_paths),
    }


Counted = set[tuple[int, tuple[str, ...]]]


def _tally(rows: dict[Any, dict[str, Any]], counted: Counted, key: tuple[str, ...], path: str,
           line: int, target: str, resolved: str | None, reason: str | None = None) -> None:
    """One row per key; its ``commits`` grows once per commit (``counted`` is that commit's)."""
    row = rows.get(key)
    if row is None:
        row = rows[key] = {"file": path, "line": line, "target": target, "resolves_to": resolved,
                           "commits": 0}
        if reason is not None:
            row["reason"] = reason
    if (id(rows), key) not in counted:
        counted.add((id(rows), key))
        row["commits"] += 1


def _mentions(inv: Inventory, rules: Rules, asset_paths: set[str]) -> list[dict[str, Any]]:
    if not asset_paths:
        return []
    names = sorted(asset_paths, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names).encode("utf-8", "surrogateescape"))
    rows: set[tuple[str, int, str]] = set()
    for commit in inv.commits:
        for ch in commit.changes:
            path = decode_path(ch.path)
            data = inv.texts.get(ch.blob)
            if ch.deleted or data is None or not rules.is_report(path):
                continue
            for match in pattern.finditer(data):
                line = data.count(b"\n", 0, match.start()) + 1
                rows.add((path, line, match.group().decode("utf-8", "surrogateescape")))
    return [{"file": f, "line": n, "mentions": m} for f, n, m in sorted(rows)]
