"""History mode: rewrite every selected ref with git-filter-repo used as a library."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.blobwriter import BlobWriter
from offload.migrate.history.lockpack import pack_locks
from offload.migrate.history.locktext import LockBuilder
from offload.migrate.history.rewrite import HistoryCallbacks
from offload.migrate.history.runrecord import RunRecord
from offload.migrate.history.signatures import strip_tag_signature
from offload.migrate.inventory import Asset, Inventory
from offload.migrate.recipe import Rules, key_for
from offload.migrate.references.scancache import ScanCache
from offload.progress import count_progress
from offload.workspace import Workspace

CRASH_AFTER = 3  # commits rewritten before OFFLOAD_TEST_CRASH=rewrite kills the run


def rewrite_history(ws: Workspace, rules: Rules, inv: Inventory, assets: dict[str, Asset],
                    refnames: list[str], before_refs: Callable[[], object] = lambda: None,
                    record: RunRecord | None = None
                    ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Run filter-repo over ``refnames``; return (old→new commit map, unresolved references).
    ``before_refs`` is called (and may raise) before filter-repo updates the refs; ``record``
    receives what the rewrite wrote, for the run's own verification."""
    import git_filter_repo as fr

    children = Counter(c.parents[0] for c in inv.commits if c.parents)
    urls: dict[tuple[str, str], str] = {}

    def url_of(path: str, blob: str) -> str:
        found = urls.get((path, blob))
        if found is None:
            a = assets[blob]
            found = ws.require_url(key_for(rules, path, a.sha256, a.size))
            urls[(path, blob)] = found
        return found

    record = record if record is not None else RunRecord()
    record.base = ws.public_base()
    lock = LockBuilder(ws, rules, assets, record)

    def every_url() -> list[str]:
        for asset in assets.values():
            for path in asset.paths:
                lock.line(path, asset.blob)
        return [e.url for e in record.entries.values() if e.url]

    record.every_url = every_url
    with contextlib.ExitStack() as stack:
        reader = stack.enter_context(BlobReader(ws.root))
        writer = stack.enter_context(BlobWriter(ws.root, ws.repo.common_dir / "offload" / "tmp"))
        with count_progress("writing offload.lock files", len(inv.commits), "commits") as step:
            locks = pack_locks(ws.root, inv.commits, assets, lock, reader, step)
        cache = ScanCache.open(ws.repo.common_dir)  # the spans its plan found, by blob
        if cache is not None:
            stack.callback(cache.close)
        callbacks = HistoryCallbacks(fr, rules, assets, reader, writer, children, url_of, locks,
                                     record, cache)
        _run_filter(fr, ws, callbacks, len(inv.commits), refnames, before_refs)
    return _commit_map(ws.repo.common_dir / "filter-repo"), sorted(callbacks.unresolved.values(),
                                         key=lambda r: (r["file"], r["line"], r["target"]))


def _run_filter(fr: Any, ws: Workspace, callbacks: HistoryCallbacks, total: int,
                refnames: list[str], before_refs: Callable[[], object]) -> None:
    """filter-repo over ``refnames`` with ``callbacks``; no ref moves unless it all worked."""
    from offload.migrate.journal import crashpoint

    args = fr.FilteringOptions.parse_args(
        ["--force", "--quiet", "--prune-empty", "never", "--prune-degenerate", "never",
         "--refs", *refnames], error_on_empty=False)
    # never a "continuation" of an older run
    shutil.rmtree(ws.repo.common_dir / "filter-repo", ignore_errors=True)
    seen = Counter[str]()

    def commit_callback(commit: Any, metadata: Any) -> None:
        callbacks.commit(commit, metadata)
        advance(1)
        seen["commits"] += 1
        if seen["commits"] == CRASH_AFTER:  # half-way through the stream, for the tests
            crashpoint("rewrite")

    # No blob callback: filter-repo exports with --no-data and blob contents stay in git.
    def tag_callback(tag: Any, metadata: Any) -> None:
        tag.message = strip_tag_signature(tag.message)

    # fast-import moves the refs when it reads `done`: the uploads must be finished before it
    # gets there, and a failure then ends its stream early, so no ref moves.
    repo_filter = fr.RepoFilter(args, commit_callback=commit_callback, tag_callback=tag_callback,
                                done_callback=before_refs)
    callbacks.filter = repo_filter
    update_refs = repo_filter._ref_update

    def guarded_update(target: Any) -> None:
        before_refs()
        crashpoint("before-ref-update")
        update_refs(target)

    repo_filter._ref_update = guarded_update
    here = os.getcwd()
    try:
        os.chdir(ws.root)
        with count_progress("rewriting history", total, "commits") as advance, \
                filter_repo_output():
            repo_filter.run()
    except BaseException:
        _end_early(repo_filter, ws.repo.git_dir)
        raise
    finally:
        os.chdir(here)


def _end_early(repo_filter: Any, git_dir: Path) -> None:
    """A failure before `done`: close fast-import's stream so it exits now without moving a
    ref, and drop the crash report it writes about the stream that ended early."""
    import subprocess

    for pipe in (getattr(repo_filter, "_output", None), getattr(repo_filter, "_input", None)):
        with contextlib.suppress(Exception):
            pipe.close()  # type: ignore[union-attr]
    for proc in (getattr(repo_filter, "_fip", None), getattr(repo_filter, "_fep", None)):
        if proc is None:
            continue
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    fip = getattr(repo_filter, "_fip", None)
    if fip is not None:
        (git_dir / f"fast_import_crash_{fip.pid}").unlink(missing_ok=True)


def _commit_map(metadata: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for line in (metadata / "commit-map").read_text(encoding="ascii").splitlines()[1:]:
        old, new = line.split()
        mapping[old] = new
    return mapping


@contextlib.contextmanager
def filter_repo_output() -> Iterator[None]:
    """git-filter-repo's own progress lines ("New history written…") stay out of offload's
    summary; if the rewrite fails they are shown on stderr with the error."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    except BaseException:
        sys.stderr.write(buffer.getvalue())
        raise

