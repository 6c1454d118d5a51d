"""Uploads, run on a worker thread: hash, send what the store lacks, classify each outcome."""

from __future__ import annotations

import errno
import os
import random
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from offload.errors import ConfigError, IntegrityError, OffloadError, UsageError
from offload.manifest import Entry
from offload.ops.put import FileFacts
from offload.ops.tally import Tally
from offload.store.redact import redact_text
from offload.watch.settle import signature
from offload.workspace import Workspace


@dataclass(frozen=True)
class Outcome:
    path: str  # repository path (the queue's key)
    gen: int
    status: str  # "done", "changed" (queue again), "gone", "retry", "failed" (permanent)
    entry: Entry | None = None
    facts: FileFacts | None = None
    error: str = ""


def upload_one(ws: Workspace, repo_path: str, gen: int, tally: Tally | None = None) -> Outcome:
    from offload.ops.put import upload_entries

    prepared = _prepare(ws, repo_path, gen)
    if isinstance(prepared, Outcome):
        return prepared
    try:
        upload_entries(ws, [prepared], jobs=1, tally=tally)
    except Exception as exc:
        return _classify(ws, repo_path, gen, exc)
    return Outcome(repo_path, gen, "done", entry=prepared[1], facts=prepared[0])


def upload_batch(ws: Workspace, claims: list[tuple[str, int]], jobs: int,
                 tally: Tally | None = None) -> list[Outcome]:
    """Several files in one store call (one listing, one transfer manager); one outcome each.

    When the store call fails as a whole, which files the error concerns is unknown: each file
    is then tried on its own, so each gets its own outcome and its own backoff.
    """
    from offload.ops.put import send_entries

    if len(claims) == 1:
        return [upload_one(ws, claims[0][0], claims[0][1], tally)]
    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="hash") as pool:
        prepared = list(pool.map(lambda claim: _prepare(ws, *claim), claims))
        outcomes = [p for p in prepared if isinstance(p, Outcome)]
        todo = [(c, p) for c, p in zip(claims, prepared, strict=True)
                if not isinstance(p, Outcome)]
        try:
            changed = {f.path for f in send_entries(ws, [p for _, p in todo], jobs, tally)}
        except Exception:
            alone = pool.map(lambda claim: upload_one(ws, claim[0], claim[1], tally),
                             [c for c, _ in todo])
            return outcomes + list(alone)
    for (path, gen), (facts, entry) in todo:
        if facts.path in changed:
            gone = signature(str(facts.absolute)) is None
            outcomes.append(Outcome(path, gen, "gone" if gone else "changed"))
        else:
            outcomes.append(Outcome(path, gen, "done", entry=entry, facts=facts))
    return outcomes


def _prepare(ws: Workspace, repo_path: str, gen: int) -> tuple[FileFacts, Entry] | Outcome:
    """Hash the file and name its object, or say why it cannot be sent."""
    from offload.ops.put import describe, entry_for

    absolute = ws.root / repo_path
    if signature(str(absolute)) is None or _swapped_for_special(str(absolute)):
        return Outcome(repo_path, gen, "gone")
    try:
        facts = describe(ws, absolute)
        return facts, entry_for(ws, facts, "watch")
    except Exception as exc:
        return _classify(ws, repo_path, gen, exc)


def _swapped_for_special(path: str) -> bool:
    """True if ``path`` is now a symlink or not a regular file (replaced since it settled).

    Opened without following a symlink and without blocking (a FIFO), then checked on the
    open descriptor; other errors (permission denied) are left to the upload to report.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    try:
        return not stat.S_ISREG(os.fstat(fd).st_mode)
    finally:
        os.close(fd)


def _classify(ws: Workspace, repo_path: str, gen: int, exc: Exception) -> Outcome:
    if isinstance(exc, IntegrityError):
        gone = signature(str(ws.root / repo_path)) is None
        return Outcome(repo_path, gen, "gone" if gone else "changed")
    if isinstance(exc, FileNotFoundError):
        return Outcome(repo_path, gen, "gone")
    if isinstance(exc, UsageError | ConfigError):
        # Nothing changes by retrying (a name the key rules refuse, a bad key_template).
        return Outcome(repo_path, gen, "failed", error=_describe(exc))
    # Store outages arrive as many types (botocore, rclone, OSError): retried later.
    return Outcome(repo_path, gen, "retry", error=_describe(exc))


def backoff(attempts: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter: around base·2^(n-1), never above ``cap``."""
    ceiling = min(cap, base * (2 ** min(max(attempts - 1, 0), 30)))
    return random.uniform(ceiling / 2, ceiling)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OffloadError):
        return f"{exc.message} (next: {exc.next_step})"
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {Path(exc.filename).name}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return redact_text(f"{type(exc).__name__}: {exc}")  # botocore text may carry a URL
