"""Uploads in flight: claim queued rows in batches, send them, record the outcomes.

One batch is in flight at a time; it takes every ready row up to ``BATCH``, so a burst goes
out in few store calls (one listing, one transfer manager), one manifest rewrite and one
queue transaction per batch, while a single file still goes out alone right away.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from offload.ops.tally import Tally
from offload.watch.queue import Queue, QueueError
from offload.watch.settings import WatchSettings
from offload.watch.uploader import Outcome, backoff, upload_batch
from offload.workspace import Workspace

log = logging.getLogger("offload.watch")
BATCH = 64  # at most this many files per store call
ONCE_ATTEMPTS = 3  # --once gives up on a file after this many failures in one run


class Uploads:
    def __init__(self, ws: Workspace, roots: list[str], settings: WatchSettings, queue: Queue,
                 once: bool, wake: threading.Event, on_changed: Callable[[str], None]) -> None:
        self.ws, self.roots, self.settings, self.queue, self.once = ws, roots, settings, queue, once
        self.top = str(ws.root)
        self.wake, self.on_changed = wake, on_changed
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload")
        self.batch: Future[list[Outcome]] | None = None
        self.inflight: set[str] = set()
        self.given_up: set[str] = set()
        self.tries: dict[str, int] = {}
        self.uploaded = 0
        self.tally = Tally()  # files sent and files the store already held, with bytes

    def dispatch(self, waiting: set[str]) -> None:
        """Start a batch of the queued rows, unless one is in flight (``waiting``: settling)."""
        if self.batch is not None:
            return
        claims = self.queue.claim(BATCH, self.given_up | waiting)
        if not claims:
            return
        self.inflight = {path for path, _ in claims}
        self.batch = self.pool.submit(upload_batch, self.ws, claims, self.settings.jobs,
                                      self.tally)
        self.batch.add_done_callback(lambda _f: self.wake.set())

    def collect(self) -> None:
        if self.batch is None or not self.batch.done():
            return
        finished = self.batch.result()
        self.batch, self.inflight = None, set()
        done = [o for o in finished if o.status == "done"]
        if done:
            self._commit(done)
        for outcome in finished:
            if outcome.status in ("retry", "failed"):
                self._failed(outcome)
            elif outcome.status == "gone":
                self.queue.drop(outcome.path, outcome.gen)
            elif outcome.status == "changed":
                log.info("%s changed while uploading; it goes again once it settles",
                         outcome.path)
                self.on_changed(os.path.join(self.top, outcome.path))
                self.queue.requeue(outcome.path, outcome.gen)

    def _commit(self, done: list[Outcome]) -> None:
        from offload.git.ignore import ensure_ignored

        entries = [o.entry for o in done if o.entry is not None]
        ensure_ignored(self.ws.root, sorted({os.path.relpath(r, self.top) for r in self.roots}))
        self.ws.manifest.upsert(entries)
        self.queue.mark_done(
            (o.path, o.gen, o.facts.size, o.facts.mtime_ns, o.entry.key, o.entry.url)
            for o in done if o.facts is not None and o.entry is not None)
        for o in done:
            log.info("uploaded %s -> %s", o.path, o.entry.url or o.entry.key if o.entry else "")
        self.uploaded += len(done)
        if self.queue.next_retry() is not None:
            self.queue.retry_now()  # the store answers again: do not wait out the backoff

    def _failed(self, outcome: Outcome) -> None:
        retry = outcome.status == "retry"
        attempts = self.queue.attempts(outcome.path) + 1
        delay = backoff(attempts, self.settings.retry_base, self.settings.retry_max)
        self.queue.mark_failed(outcome.path, outcome.gen, outcome.error, retry, delay)
        self.tries[outcome.path] = self.tries.get(outcome.path, 0) + 1
        if self.once and self.tries[outcome.path] >= ONCE_ATTEMPTS:
            self.given_up.add(outcome.path)
        when = f"retry in {delay:.1f}s" if retry else "not retried until the file changes"
        log.warning("upload of %s failed (%s): %s", outcome.path, when, outcome.error)

    def busy(self) -> bool:
        return self.batch is not None

    def shutdown(self, timeout: float = 300.0) -> None:
        """Let the batch in flight finish and record it."""
        if self.batch is not None:
            wait([self.batch], timeout=timeout)
        try:
            self.collect()
        except QueueError as exc:  # rows stay "uploading": the next start retries them
            log.error("%s", exc.message)
        self.pool.shutdown(wait=False, cancel_futures=True)
