"""Documents first: every rewritten document and cleaned .gitattributes goes into the
fast-import stream before the first commit, so that the commits' own blobs are the
offload.lock files alone, one after the other.

fast-import stores a blob as a delta only against the blob written just before it. With
documents in between, each commit's offload.lock (a line per asset: megabytes in a large
repository) was compressed whole; written back to back, each is a delta of the previous one.
This pass is an optimisation only: a blob it misses is written by the commit that needs it.
"""

from __future__ import annotations

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.gitdata import CommitChanges
from offload.migrate.gitwalk.walk import first_parent_counts, walk_commits
from offload.migrate.history.gitattributes import clean_gitattributes
from offload.migrate.history.rewrite import HistoryCallbacks
from offload.migrate.inventory import decode_path
from offload.migrate.scan import ScanState, apply_changes
from offload.progress import count_progress


def write_documents_first(callbacks: HistoryCallbacks, commits: list[CommitChanges],
                          reader: BlobReader) -> int:
    """Insert the blobs the commits will need (but offload.lock); return how many."""
    before = len(callbacks.blob_cache)
    asset_paths = {p for a in callbacks.assets.values() for p in a.paths}
    namers: dict[str, set[str]] = {}
    with count_progress("writing documents", len(commits), "commits") as advance:
        for commit, state in walk_commits(commits, first_parent_counts(commits), ScanState):
            advance(1)
            _write(callbacks, commit, state, reader, asset_paths, namers)
    return len(callbacks.blob_cache) - before


def _write(callbacks: HistoryCallbacks, commit: CommitChanges, state: ScanState,
           reader: BlobReader, asset_paths: set[str], namers: dict[str, set[str]]) -> None:
    rewriter = callbacks.docs
    assets, docs = apply_changes(commit, state, callbacks.assets, callbacks.rules, asset_paths,
                                 rewriter, reader)
    stale = {d for d in docs if d in state.docs}
    for asset in assets:
        stale |= {d for d in namers.get(asset, ()) if d in state.docs}
    for path in sorted(stale):
        blob, data = state.docs[path]
        if data is None:
            continue
        for name in rewriter.candidates(path, blob, data):
            namers.setdefault(name, set()).add(path)
        result = rewriter.rewrite(path, blob, data, state.assets)
        if result.data != data:
            callbacks.new_blob(result.data)
    for ch in commit.changes:
        if not ch.deleted and decode_path(ch.path).rsplit("/", 1)[-1] == ".gitattributes":
            data = reader[ch.blob]
            cleaned = clean_gitattributes(data)
            if cleaned is not None and cleaned != data:
                callbacks.new_blob(cleaned)
