"""git-filter-repo callbacks: strip selected blobs, clean .gitattributes, add offload.lock and
rewrite each document against the asset versions of its own commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.blobwriter import BlobWriter
from offload.migrate.history.gitattributes import clean_gitattributes
from offload.migrate.history.runrecord import DocWrite, RunRecord, git_blob_id
from offload.migrate.inventory import Asset
from offload.migrate.recipe import Rules
from offload.migrate.references.docs import DocRewriter
from offload.migrate.references.scancache import ScanCache

LOCK = "offload.lock"
GITLINK = b"160000"


@dataclass
class TreeState:
    assets: dict[str, str] = field(default_factory=dict)  # path -> selected blob
    docs: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> original doc
    modes: dict[str, bytes] = field(default_factory=dict)  # path -> doc file mode
    shown: dict[str, bytes] = field(default_factory=dict)  # path -> doc bytes in the new tree
    lock: str | None = None  # original offload.lock blob

    def copy(self) -> TreeState:
        return TreeState(dict(self.assets), dict(self.docs), dict(self.modes), dict(self.shown),
                         self.lock)


class HistoryCallbacks:
    """Commit callback only: filter-repo then runs ``fast-export --no-data``, so no blob's
    content passes through Python but the documents, .gitattributes and offload.lock files a
    commit changes (read when it changes them) and the blobs written for rewritten content.
    A commit's state is handed on to its parent's last child and copied only for the others,
    and a document is rewritten only when it or an asset it names changes.

    Each commit's offload.lock was written before the rewrite (``locks``: original commit ->
    blob id, None to delete it); the rewritten documents go to ``writer``."""

    def __init__(self, fr: Any, rules: Rules, assets: dict[str, Asset], reader: BlobReader,
                 writer: BlobWriter, children: Counter[str], url_of: Callable[[str, str], str],
                 locks: dict[str, str | None], record: RunRecord,
                 cache: ScanCache | None = None) -> None:
        self.fr = fr
        self.rules = rules
        self.assets = assets
        self.reader = reader  # original blob -> content, read when a commit changes it
        self.writer = writer
        self.children = children
        self.url_of = url_of
        self.locks = locks
        self.record = record
        self.base = (record.base or "").encode("utf-8") or None
        self.filter: Any = None  # the RepoFilter, set before it runs
        self.commit_orig: dict[int, str] = {}
        self.states: dict[str, TreeState] = {}
        self.written: dict[str, bytes] = {}  # the other blobs written: id -> id as git said
        paths = {p for a in assets.values() for p in a.paths}
        self.docs = DocRewriter.for_migration(self.url_of, rules, paths, cache)
        self.namers: dict[str, set[str]] = {}  # asset path -> documents that may name it
        self.unresolved: dict[tuple[str, str], dict[str, Any]] = {}

    def new_blob(self, data: bytes) -> bytes:
        """A rewritten document or .gitattributes, by id (no blob's bytes stay in memory)."""
        oid = git_blob_id(data)
        found = self.written.get(oid)
        if found is None:
            found = self.written[oid] = self.writer.write(data).encode("ascii")
        return found

    def _state_after(self, parent: str | None) -> TreeState:
        if parent is None or parent not in self.states:
            return TreeState()
        self.children[parent] -= 1
        if self.children[parent] > 0:
            return self.states[parent].copy()
        return self.states.pop(parent)

    def commit(self, commit: Any, _metadata: Any) -> None:
        original = commit.original_id.decode("ascii")
        self.commit_orig[commit.id] = original
        parent = self.commit_orig.get(commit.parents[0]) if commit.parents else None
        state = self._state_after(parent)
        out: list[Any] = []
        changed_assets: set[str] = set()
        changed_docs: set[str] = set()
        for change in commit.file_changes:
            if change.type == b"DELETEALL":
                state, changed_docs = TreeState(), set()
                out.append(change)
                continue
            path = change.filename.decode("utf-8", "surrogateescape")
            blob = _original_blob(change)
            if path in state.assets:
                del state.assets[path]
                changed_assets.add(path)
            if blob is not None and blob in self.assets:
                state.assets[path] = blob
                changed_assets.add(path)
                if path in state.shown or path in state.docs:
                    out.append(self.fr.FileChange(b"D", change.filename))
                state.docs.pop(path, None)
                state.shown.pop(path, None)
                continue
            if path == LOCK:
                state.lock = blob  # the lock written for this commit comes from ``locks``
                continue
            if path in state.docs:
                changed_docs.add(path)  # the old version's rows leave with it
            state.docs.pop(path, None)
            state.shown.pop(path, None)
            if blob is not None and self.rules.is_doc(path):
                data = self.reader[blob]
                if self.docs.can_refer(path, blob, data):
                    state.docs[path] = (blob, data)
                    state.modes[path] = change.mode
                    changed_docs.add(path)
                    continue
            if blob is not None and path.rsplit("/", 1)[-1] == ".gitattributes":
                data = self.reader[blob]
                cleaned = clean_gitattributes(data)
                if cleaned is None:
                    out.append(self.fr.FileChange(b"D", change.filename))
                    continue
                if cleaned != data:
                    change.blob_id = self.new_blob(cleaned)
            out.append(change)
        written = self._emit_docs(original, state, changed_docs, changed_assets, out)
        if original in self.locks:
            lock = self.locks[original]
            out.append(self.fr.FileChange(b"D", LOCK.encode()) if lock is None else
                       self.fr.FileChange(b"M", LOCK.encode(), lock.encode("ascii"), b"100644"))
        for doc in written:
            self.record.check(doc)
        commit.file_changes = out
        self.record.commit(original, out)
        if self.children.get(original, 0) > 0:
            self.states[original] = state

    def _emit_docs(self, commit: str, state: TreeState, changed_docs: set[str],
                   changed_assets: set[str], out: list[Any]) -> list[DocWrite]:
        stale = {d for d in changed_docs if d in state.docs}
        for asset in changed_assets:
            stale |= {d for d in self.namers.get(asset, ()) if d in state.docs}
        written: list[DocWrite] = []
        for path in sorted(stale):
            blob, data = state.docs[path]
            names = self.docs.candidates(path, blob, data)
            for name in names:
                self.namers.setdefault(name, set()).add(path)
            result = self.docs.rewrite(path, blob, data, state.assets)
            written.append(DocWrite(
                commit, path, result, result.urls,
                {n: state.assets[n] for n in names if n in state.assets}, state.lock, data,
                state.assets if self.base and self.base in data else None))
            for ref in result.unresolved:
                self.unresolved.setdefault((path, ref.target), {
                    "file": path, "line": ref.line, "target": ref.target,
                    "resolves_to": ref.resolved})
            if path not in changed_docs and state.shown.get(path) == result.data:
                continue
            state.shown[path] = result.data
            out.append(self.fr.FileChange(b"M", path.encode("utf-8", "surrogateescape"),
                                          self.new_blob(result.data), state.modes[path]))
        return written


def _original_blob(change: Any) -> str | None:
    """The blob a file change of the ``--no-data`` export names (None: deletion, submodule)."""
    if change.type != b"M" or change.mode == GITLINK:
        return None
    return bytes(change.blob_id).decode("ascii")
