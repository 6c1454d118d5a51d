"""History mode: git-filter-repo swaps each rewritten file version for its rebased bytes."""

from __future__ import annotations

import os
import shutil
from typing import Any

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.history.filter import filter_repo_output
from offload.rebase.scan import Globs, Scan
from offload.rebase.text import Bases
from offload.workspace import Workspace

CRASH_AFTER = 2  # commits rewritten before OFFLOAD_TEST_CRASH=rebase kills the run
GITLINK = b"160000"


def rewrite_history(ws: Workspace, scan: Scan, globs: Globs, bases: Bases,
                    refnames: list[str]) -> dict[str, str]:
    """Rewrite ``refnames``; return the old→new commit map."""
    with BlobReader(ws.root) as reader:
        return _rewrite(ws, scan, globs, bases, refnames, reader)


def _rewrite(ws: Workspace, scan: Scan, globs: Globs, bases: Bases, refnames: list[str],
             reader: BlobReader) -> dict[str, str]:
    import git_filter_repo as fr

    from offload.migrate.history.runrecord import git_blob_id
    from offload.migrate.history.signatures import strip_tag_signature
    from offload.migrate.journal import crashpoint

    marks: dict[str, int] = {}  # new blob id -> its mark
    done: dict[tuple[str, str], int] = {}  # (kind, old blob) -> mark of its rebased bytes
    seen = [0]
    holder: dict[str, Any] = {}

    def new_blob(path: str, kind: str, old: str) -> int:
        """The rebased version, made from the old blob when first needed (never kept)."""
        if (kind, old) not in done:
            data = globs.rebased(path, reader[old], bases)
            oid = git_blob_id(data)
            if oid not in marks:
                blob = fr.Blob(data)
                holder["filter"].insert(blob, direct_insertion=True)
                marks[oid] = blob.id
            done[(kind, old)] = marks[oid]
        return done[(kind, old)]

    def insert_all() -> None:
        """Every rebased version before the first commit, a path's versions one after another
        in history's order: fast-import stores a blob as a delta of the blob sent before it,
        so a lock that changed by a line costs about a line, not the whole lock again."""
        for kind, old in sorted(scan.where, key=lambda item: scan.where[item][0]):
            new_blob(scan.where[(kind, old)][0], kind, old)

    def commit_callback(commit: Any, _metadata: Any) -> None:
        if not seen[0]:
            insert_all()
        for change in commit.file_changes:
            if change.type != b"M" or change.mode == GITLINK:
                continue
            path = change.filename.decode("utf-8", "surrogateescape")
            blob = bytes(change.blob_id).decode("ascii")
            kind = globs.kind(path)
            if (kind, blob) in scan.rewritten:
                change.blob_id = new_blob(path, kind, blob)
        seen[0] += 1
        if seen[0] == CRASH_AFTER:
            crashpoint("rebase")

    def tag_callback(tag: Any, _metadata: Any) -> None:
        tag.message = strip_tag_signature(tag.message)

    args = fr.FilteringOptions.parse_args(
        ["--force", "--quiet", "--prune-empty", "never", "--prune-degenerate", "never",
         "--refs", *refnames], error_on_empty=False)
    metadata = ws.repo.common_dir / "filter-repo"
    shutil.rmtree(metadata, ignore_errors=True)  # never a "continuation" of an older run
    holder["filter"] = fr.RepoFilter(args, commit_callback=commit_callback,
                                     tag_callback=tag_callback)
    here = os.getcwd()
    try:
        os.chdir(ws.root)
        with filter_repo_output():
            holder["filter"].run()
    finally:
        os.chdir(here)
    from offload.migrate.history.filter import _commit_map  # the same filter-repo metadata

    return _commit_map(metadata)

