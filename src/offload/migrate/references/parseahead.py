"""Documents parsed ahead of the plan's walk of history, by worker processes.

Parsing every version of every document is most of a plan's time, and it needs nothing but
the version's bytes and kind: a pure function of the blob. Before the walk, worker processes
(one per core, each with its own ``git cat-file``) parse the versions the span cache lacks and
the plan stores their spans there; the walk, which must go commit by commit in one process,
then reads them back. Anything a worker could not do is simply parsed by the walk itself.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.gitdata import GITLINK, SYMLINK, CommitChanges
from offload.migrate.inventory import decode_path
from offload.migrate.recipe import Rules
from offload.migrate.references.scancache import ScanCache, pack_spans
from offload.progress import count_progress

MIN_VERSIONS = 128  # fewer are parsed by the walk sooner than worker processes start
MAX_WORKERS = 4
CHUNK = 32  # document versions per task
Version = tuple[str, str, str]  # (kind, blob, a path it has)


def parse_ahead(cwd: Path, commits: Iterable[CommitChanges], rules: Rules,
                prefilter: re.Pattern[bytes] | None, cache: ScanCache | None,
                min_versions: int = MIN_VERSIONS, workers: int | None = None) -> int:
    """Parse the document versions of ``commits`` the cache lacks into it; how many."""
    workers = workers or min(MAX_WORKERS, _cores())
    if cache is None or workers < 2:
        return 0
    todo = [v for v in _versions(commits, rules) if not cache.has(v[0], v[1])]
    if len(todo) < max(1, min_versions):
        return 0
    import multiprocessing

    stored = 0
    chunks = iter([todo[start:start + CHUNK] for start in range(0, len(todo), CHUNK)])
    with count_progress("parsing documents", len(todo), "documents") as advance, \
            ProcessPoolExecutor(workers, multiprocessing.get_context("spawn"), _start,
                                (str(cwd), prefilter)) as pool:
        try:
            for asked, found in _bounded(pool, chunks, 2 * workers):
                for kind, blob, packed in found:
                    cache.put_packed(kind, blob, packed)
                stored += len(found)
                advance(asked)
        except Exception:  # a worker failed: the walk parses what is left
            pool.shutdown(cancel_futures=True)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return stored


def _cores() -> int:
    """The cores this process may use (all of them where the system cannot say: macOS)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _versions(commits: Iterable[CommitChanges], rules: Rules) -> list[Version]:
    """Each document version of the history once, by (kind, blob)."""
    from offload.migrate.references import document_kind

    seen: dict[tuple[str, str], str] = {}
    for commit in commits:
        for change in commit.changes:
            if change.deleted or change.mode in (GITLINK, SYMLINK):
                continue
            path = decode_path(change.path)
            kind = document_kind(path) if rules.is_doc(path) else None
            if kind is not None:
                seen.setdefault((kind, change.blob), path)
    return [(kind, blob, path) for (kind, blob), path in seen.items()]


Parsed = tuple[int, list[tuple[str, str, bytes]]]  # (versions asked, (kind, blob, spans))


def _bounded(pool: ProcessPoolExecutor, chunks: Iterator[list[Version]], ahead: int
             ) -> Iterator[Parsed]:
    """Results in order, with at most ``ahead`` tasks queued (memory holds no more)."""
    pending: list[Future[Parsed]] = []
    for chunk in chunks:
        pending.append(pool.submit(_parse, chunk))
        if len(pending) >= ahead:
            yield pending.pop(0).result()
    while pending:
        yield pending.pop(0).result()


_reader: BlobReader | None = None
_prefilter: re.Pattern[bytes] | None = None


def _start(cwd: str, prefilter: re.Pattern[bytes] | None) -> None:
    """In each worker: Ctrl-C is the plan's to handle; blobs come from a reader of its own
    (started on first use: nothing here can fail and print a traceback)."""
    global _reader, _prefilter
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _reader, _prefilter = BlobReader(Path(cwd)), prefilter


def _parse(chunk: list[Version]) -> Parsed:
    """The packed spans of each version worth parsing: UTF-8 text the prefilter lets through
    (the walk parses exactly those)."""
    from offload.migrate.references import scan_text

    assert _reader is not None
    found = []
    for kind, blob, path in chunk:
        data = _reader[blob]
        if _prefilter is not None and _prefilter.search(data) is None:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found.append((kind, blob, pack_spans(scan_text(path, text))))
    return len(chunk), found
