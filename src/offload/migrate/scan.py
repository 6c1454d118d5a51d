"""Walk every commit's tree state to find the references a run will rewrite.

Each document is evaluated when it changes, or when an asset it can name changes, never once
per commit; a row counts the commits it holds in by the ticks of the state it lives in."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.gitdata import GITLINK, SYMLINK, CommitChanges
from offload.migrate.gitwalk.walk import first_parent_counts, walk_commits
from offload.migrate.inventory import Inventory, decode_path
from offload.migrate.recipe import Rules
from offload.migrate.references.docs import DocRewriter
from offload.migrate.references.scancache import ScanCache
from offload.migrate.references.templates import template_references
from offload.progress import count_progress

State = dict[str, str]  # path -> blob, for the paths a migration cares about
Row = dict[str, Any]


class ScanState:
    """The assets and documents of one commit, and the rows each document holds."""

    def __init__(self) -> None:
        self.assets: dict[str, str] = {}  # path -> selected blob
        self.docs: dict[str, tuple[str, bytes | None]] = {}  # path -> (blob, data if it refers)
        self.rows: dict[str, tuple[tuple[Row, ...], int]] = {}  # doc -> (rows, first tick)
        self.ticks = 0  # commits this state object has been the state of

    def copy(self) -> ScanState:
        new = ScanState()
        new.assets, new.docs = dict(self.assets), dict(self.docs)
        new.rows = {path: (rows, 0) for path, (rows, _start) in self.rows.items()}
        return new

    def settle(self, path: str) -> None:
        rows, start = self.rows.pop(path, ((), 0))
        for row in rows:
            row["commits"] += self.ticks - start

    def close(self) -> None:
        for path in list(self.rows):
            self.settle(path)


def walk_states(inv: Inventory, interesting: set[str]) -> Iterator[tuple[str, State]]:
    """(commit, state) for every commit, parents first (the state object is reused: read it
    before the next step)."""
    for commit, state in walk_commits(inv.commits, first_parent_counts(inv.commits), _Paths):
        for ch in commit.changes:
            path = decode_path(ch.path)
            if path not in interesting:
                continue
            if ch.deleted or ch.mode in (GITLINK, SYMLINK):
                state.pop(path, None)
            else:
                state[path] = ch.blob
        yield commit.commit, state


class _Paths(dict[str, str]):
    def copy(self) -> _Paths:
        return _Paths(self)

    def close(self) -> None:
        pass


class _Tables:
    """The plan's reference rows, one per key, created on first sight."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, ...], Row] = {}
        self.dangling: dict[tuple[str, ...], Row] = {}
        self.templated: dict[tuple[str, ...], Row] = {}
        self.left_alone: dict[tuple[str, ...], Row] = {}
        self.not_utf8: set[str] = set()

    @staticmethod
    def row(table: dict[tuple[str, ...], Row], key: tuple[str, ...], path: str, line: int,
            target: str, resolved: str | None, reason: str | None = None) -> Row:
        found = table.get(key)
        if found is None:
            found = table[key] = {"file": path, "line": line, "target": target,
                                  "resolves_to": resolved, "commits": 0}
            if reason is not None:
                found["reason"] = reason
        return found


def scan_references(cwd: Path, inv: Inventory, rules: Rules,
                    stats: dict[str, int] | None = None, cache: ScanCache | None = None
                    ) -> dict[str, list[dict[str, Any]]]:
    """References per (document, target); ``stats`` gets how many document versions were read;
    ``cache`` keeps the spans of each version parsed."""
    asset_paths = inv.asset_paths
    rewriter = DocRewriter.for_migration(lambda path, blob: f"offload:{blob}", rules,
                                         asset_paths, cache)
    tables = _Tables()
    namers: dict[str, set[str]] = {}  # asset path -> documents some version of which names it
    mentions: set[tuple[str, int, str]] = set()
    mention = _mention_pattern(asset_paths)
    read_reports: set[tuple[str, str]] = set()
    with BlobReader(cwd) as reader, \
            count_progress("reading history", len(inv.commits), "commits") as advance:
        for commit, state in walk_commits(inv.commits, first_parent_counts(inv.commits),
                                          ScanState):
            advance(1)
            changed = apply_changes(commit, state, inv.assets, rules, asset_paths, rewriter,
                                    reader)
            stale = set(changed[1])
            for asset in changed[0]:
                stale |= {d for d in namers.get(asset, ()) if d in state.docs}
            for path in sorted(stale):
                state.settle(path)
                if path in state.docs:
                    state.rows[path] = (_evaluate(path, state, rewriter, tables, namers,
                                                  asset_paths), state.ticks)
            state.ticks += 1
            if mention is not None:
                _find_mentions(commit, rules, reader, mention, read_reports, mentions)
    if stats is not None:
        stats.update(parsed=rewriter.parsed, skipped=rewriter.skipped)
    return {
        "rewrite": _sorted(tables.found, ("file", "line", "target")),
        "dangling": _sorted(tables.dangling, ("file", "line")),
        "not_utf8": [{"file": p} for p in sorted(tables.not_utf8)],
        "template": _sorted(tables.templated, ("file", "line")),
        "left_alone": _sorted(tables.left_alone, ("file", "line")),
        "report": [{"file": f, "line": n, "mentions": m} for f, n, m in sorted(mentions)],
    }


def _sorted(table: dict[tuple[str, ...], Row], keys: tuple[str, ...]) -> list[Row]:
    return sorted(table.values(), key=lambda r: tuple(r[k] for k in keys))


def apply_changes(commit: CommitChanges, state: ScanState, selected: Collection[str],
                  rules: Rules, asset_paths: set[str], rewriter: DocRewriter,
                  reader: BlobReader) -> tuple[set[str], set[str]]:
    """Apply the commit's changes (``selected``: the blobs that are assets); (asset paths whose
    version changed, documents changed)."""
    assets: set[str] = set()
    docs: set[str] = set()
    for ch in commit.changes:
        path = decode_path(ch.path)
        gone = ch.deleted or ch.mode in (GITLINK, SYMLINK)
        if path in asset_paths:
            before = state.assets.pop(path, None)
            if not gone and ch.blob in selected:
                state.assets[path] = ch.blob
            if before != state.assets.get(path):
                assets.add(path)
        if rules.is_doc(path):
            docs.add(path)
            state.docs.pop(path, None)
            if not gone:
                data = reader[ch.blob]
                state.docs[path] = (ch.blob, data if rewriter.can_refer(path, ch.blob, data)
                                    else None)
    return assets, docs


def _evaluate(path: str, state: ScanState, rewriter: DocRewriter, tables: _Tables,
              namers: dict[str, set[str]], asset_paths: set[str]) -> tuple[Row, ...]:
    """The rows the document holds in this state (each once)."""
    blob, data = state.docs[path]
    if data is None:
        return ()
    for name in rewriter.candidates(path, blob, data):
        namers.setdefault(name, set()).add(path)
    result = rewriter.rewrite(path, blob, data, state.assets)
    rows: dict[int, Row] = {}

    def keep(row: Row) -> None:
        rows[id(row)] = row

    for literal in template_references(path, data, asset_paths.__contains__):
        keep(tables.row(tables.templated, (path, literal.literal), path, literal.line,
                        literal.literal, literal.resolves_to))
    if result.not_utf8:
        tables.not_utf8.add(path)
    for ref in result.rewritten:
        keep(tables.row(tables.found, (path, ref.target, ref.resolved or ""), path, ref.line,
                        ref.target, ref.resolved))
    for ref in result.unresolved:
        why = "escapes the repository" if ref.resolved is None else "resolves to nothing"
        keep(tables.row(tables.dangling, (path, ref.target), path, ref.line, ref.target,
                        ref.resolved, why))
    for ref, why in result.left_alone:
        keep(tables.row(tables.left_alone, (path, ref.target), path, ref.line, ref.target,
                        ref.resolved, why))
    return tuple(rows.values())


def _mention_pattern(asset_paths: set[str]) -> re.Pattern[bytes] | None:
    if not asset_paths:
        return None
    names = sorted(asset_paths, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names).encode("utf-8", "surrogateescape"))


def _find_mentions(commit: CommitChanges, rules: Rules, reader: BlobReader,
                   pattern: re.Pattern[bytes], seen: set[tuple[str, str]],
                   rows: set[tuple[str, int, str]]) -> None:
    for ch in commit.changes:
        path = decode_path(ch.path)
        if ch.deleted or ch.mode in (GITLINK, SYMLINK) or not rules.is_report(path) \
                or (path, ch.blob) in seen:
            continue
        seen.add((path, ch.blob))
        data = reader[ch.blob]
        for match in pattern.finditer(data):
            line = data.count(b"\n", 0, match.start()) + 1
            rows.add((path, line, match.group().decode("utf-8", "surrogateescape")))
