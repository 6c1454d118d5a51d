"""git-filter-repo callbacks: strip selected blobs, clean .gitattributes, add offload.lock and
rewrite each document against the asset versions of its own commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from offload.migrate.docs import DocRewriter
from offload.migrate.gitattributes import clean_gitattributes
from offload.migrate.inventory import Asset
from offload.migrate.locktext import LockBuilder
from offload.migrate.recipe import Rules
from offload.migrate.runrecord import DocWrite, RunRecord, git_blob_id

LOCK = "offload.lock"
GITLINK = b"160000"


@dataclass
class TreeState:
    assets: dict[str, str] = field(default_factory=dict)  # path -> selected blob
    docs: dict[str, str] = field(default_factory=dict)  # path -> original doc blob
    modes: dict[str, bytes] = field(default_factory=dict)  # path -> doc file mode
    shown: dict[str, bytes] = field(default_factory=dict)  # path -> doc bytes in the new tree
    lock: str | None = None  # original offload.lock blob
    lines: dict[str, str] = field(default_factory=dict)  # path -> its offload.lock line

    def copy(self) -> TreeState:
        return TreeState(dict(self.assets), dict(self.docs), dict(self.modes), dict(self.shown),
                         self.lock, dict(self.lines))


class HistoryCallbacks:
    """Commit callback only: filter-repo then runs ``fast-export --no-data``, so no blob's
    content passes through Python except ``data`` (documents, .gitattributes, offload.lock,
    read beforehand) and the blobs written for rewritten content."""

    def __init__(self, fr: Any, rules: Rules, assets: dict[str, Asset], data: dict[str, bytes],
                 children: Counter[str], url_of: Callable[[str, str], str],
                 lock: LockBuilder,
                 record: RunRecord) -> None:
        self.fr = fr
        self.rules = rules
        self.assets = assets
        self.data = data  # original blob -> content, for the blobs the rewrite reads
        self.children = children
        self.url_of = url_of
        self.lock = lock  # lock lines kept per tree state: a commit costs no line per asset
        self.record = record
        self.base = (record.base or "").encode("utf-8") or None
        self.filter: Any = None  # the RepoFilter, set before it runs
        self.commit_orig: dict[int, str] = {}
        self.states: dict[str, TreeState] = {}
        self.blob_cache: dict[str, int] = {}  # git blob id -> mark
        paths = {p for a in assets.values() for p in a.paths}
        self.docs = DocRewriter.for_migration(self.url_of, rules, paths)
        self.unresolved: dict[tuple[str, str], dict[str, Any]] = {}

    def _new_blob(self, data: bytes) -> int:
        oid = git_blob_id(data)  # keyed by id: no blob's bytes stay in memory
        mark = self.blob_cache.get(oid)
        if mark is None:
            new = self.fr.Blob(data)
            self.filter.insert(new, direct_insertion=True)
            mark = self.blob_cache[oid] = new.id
            self.record.marks[mark] = oid
        return mark

    def commit(self, commit: Any, _metadata: Any) -> None:
        original = commit.original_id.decode("ascii")
        self.commit_orig[commit.id] = original
        parent = self.commit_orig.get(commit.parents[0]) if commit.parents else None
        state = self.states[parent].copy() if parent in self.states else TreeState()
        if parent is not None:
            self.children[parent] -= 1
            if self.children[parent] <= 0:
                self.states.pop(parent, None)
        out: list[Any] = []
        changed_assets: set[str] = set()
        changed_docs: set[str] = set()
        lock_touched = False
        for change in commit.file_changes:
            if change.type == b"DELETEALL":
                state, changed_docs = TreeState(), set()
                out.append(change)
                continue
            path = change.filename.decode("utf-8", "surrogateescape")
            blob = _original_blob(change)
            if path in state.assets:
                del state.assets[path]
                del state.lines[path]
                changed_assets.add(path)
            if blob is not None and blob in self.assets:
                state.assets[path] = blob
                state.lines[path] = self.lock.line(path, blob)
                changed_assets.add(path)
                if path in state.shown or path in state.docs:
                    out.append(self.fr.FileChange(b"D", change.filename))
                state.docs.pop(path, None)
                state.shown.pop(path, None)
                continue
            if path == LOCK:
                state.lock = blob
                lock_touched = True
                continue
            state.docs.pop(path, None)
            state.shown.pop(path, None)
            if blob is not None and blob in self.data and self.rules.is_doc(path):
                state.docs[path] = blob
                state.modes[path] = change.mode
                changed_docs.add(path)
                continue
            if blob is not None and path.rsplit("/", 1)[-1] == ".gitattributes" \
                    and blob in self.data:
                cleaned = clean_gitattributes(self.data[blob])
                if cleaned is None:
                    out.append(self.fr.FileChange(b"D", change.filename))
                    continue
                if cleaned != self.data[blob]:
                    change.blob_id = self._new_blob(cleaned)
            out.append(change)
        self._emit_docs(original, state, changed_docs, changed_assets, out)
        if changed_assets or lock_touched:
            self._emit_lock(state, out)
        commit.file_changes = out
        self.record.commit(original, out)
        if self.children.get(original, 0) > 0:
            self.states[original] = state

    def _emit_docs(self, commit: str, state: TreeState, changed_docs: set[str],
                   changed_assets: set[str], out: list[Any]) -> None:
        for path, blob in state.docs.items():
            data = self.data[blob]
            if path not in changed_docs and not self.docs.depends_on(path, blob, data,
                                                                     changed_assets):
                continue
            result = self.docs.rewrite(path, blob, data, state.assets)
            names = self.docs.candidates(path, blob, data)
            self.record.docs.append(DocWrite(
                commit, path, result, self.docs.urls[id(result)],
                {n: state.assets[n] for n in names if n in state.assets}, state.lock, data,
                dict(state.assets) if self.base and self.base in data else None))
            for ref in result.unresolved:
                self.unresolved.setdefault((path, ref.target), {
                    "file": path, "line": ref.line, "target": ref.target,
                    "resolves_to": ref.resolved})
            if path not in changed_docs and state.shown.get(path) == result.data:
                continue
            state.shown[path] = result.data
            out.append(self.fr.FileChange(b"M", path.encode("utf-8", "surrogateescape"),
                                          self._new_blob(result.data), state.modes[path]))

    def _emit_lock(self, state: TreeState, out: list[Any]) -> None:
        original = self.data.get(state.lock) if state.lock else None
        text = self.lock.text(state.lines, original)
        if text is None:
            out.append(self.fr.FileChange(b"D", LOCK.encode()))
        else:
            out.append(self.fr.FileChange(b"M", LOCK.encode(), self._new_blob(text), b"100644"))


def _original_blob(change: Any) -> str | None:
    """The blob a file change of the ``--no-data`` export names (None: deletion, submodule)."""
    if change.type != b"M" or change.mode == GITLINK:
        return None
    return bytes(change.blob_id).decode("ascii")
