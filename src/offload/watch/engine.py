"""The watch loop's work: events -> settle -> queue -> uploads -> manifest, one step at a time."""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait

from offload.watch.observer import Inbox, Watches
from offload.watch.queue import Queue, QueueError
from offload.watch.scan import iter_files
from offload.watch.settings import WatchSettings
from offload.watch.settle import Settler, signature
from offload.watch.uploader import Outcome, backoff, upload_one
from offload.workspace import Workspace

log = logging.getLogger("offload.watch")
ONCE_ATTEMPTS = 3  # --once gives up on a file after this many failures in one run


class Engine:
    def __init__(self, ws: Workspace, roots: list[str], settings: WatchSettings, queue: Queue,
                 poll: bool, once: bool) -> None:
        self.ws, self.roots, self.settings, self.queue, self.once = ws, roots, settings, queue, once
        self.top = str(ws.root)
        self.inbox = Inbox()
        self.settler = Settler(settings.settle, settings.max_wait)
        self.watches = Watches(roots, self.inbox, settings.poll_interval if poll else None)
        self.pool = ThreadPoolExecutor(max_workers=settings.jobs, thread_name_prefix="upload")
        self.inflight: dict[str, Future[Outcome]] = {}
        self.given_up: set[str] = set()
        self.tries: dict[str, int] = {}
        self.next_rescan = 0.0
        self.next_supervise = 0.0
        self.rescan_dirs: set[str] = set()
        self.uploaded = 0

    def rel(self, path: str) -> str:
        return os.path.relpath(path, self.top)

    def start(self) -> None:
        recovered = self.queue.recover()
        if recovered:
            log.info("%d unfinished upload(s) from the last run queued again", recovered)
        self.watches.start()
        now = time.monotonic()
        self._rescan(self.roots, now, refresh=False)  # what appeared while no daemon ran
        self.next_supervise = now + 1.0
        self.next_rescan = now + self.settings.rescan_interval

    def step(self) -> float:
        """Do everything that is due; return how long the loop may sleep."""
        now = time.monotonic()
        for kind, path in self.inbox.drain():
            if kind == "closed" or kind == "created":
                self.settler.touch(path, now, awaiting_close=kind == "created")
            elif kind == "deleted":
                self.settler.forget(path)
                self.settler.forget_under(path)
            elif kind == "dir":
                self.rescan_dirs.add(path)
            elif kind == "lost":
                log.warning("filesystem events may have been lost; rescanning")
                self.rescan_dirs.update(self.roots)
        if now >= self.next_supervise:
            self.next_supervise = now + 1.0
            for root in self.watches.supervise():
                self.settler.forget_under(root)
                self.rescan_dirs.add(root)
        if now >= self.next_rescan:
            self.next_rescan = now + self.settings.rescan_interval
            self._rescan(self.roots, now, refresh=False)
        if self.rescan_dirs:
            self._rescan(sorted(self.rescan_dirs), now, refresh=True)
            self.rescan_dirs.clear()
        ready = self.settler.poll(now)
        if ready:
            self.queue.enqueue(self.rel(p) for p in ready)
        self._collect()
        self._dispatch()
        return self._sleep(now)

    def _rescan(self, folders: list[str], now: float, refresh: bool) -> None:
        """Queue files the queue does not know in this version.

        ``refresh`` (new folders, lost events): their close events may never come, so files
        already waiting for one are settled on size and mtime alone.
        """
        known = self.queue.known()
        for path in (p for folder in folders for p in iter_files(folder)):
            if path in self.settler.items:
                if refresh:
                    self.settler.touch(path, now)
                continue
            row = known.get(self.rel(path))
            sig = signature(path)
            if sig is None or (row is not None and (row[0] != "done" or row[1:3] == sig[:2])):
                continue
            self.settler.touch(path, now)

    def _dispatch(self) -> None:
        free = self.settings.jobs - len(self.inflight)
        if free <= 0:
            return
        exclude = set(self.inflight) | self.given_up | {self.rel(p) for p in self.settler.items}
        for path, gen in self.queue.claim(free, exclude):
            future = self.pool.submit(upload_one, self.ws, path, gen)
            future.add_done_callback(lambda _f: self.inbox.wake.set())
            self.inflight[path] = future

    def _collect(self) -> None:
        finished = [o for o in (f.result() for f in self.inflight.values() if f.done())]
        for outcome in finished:
            del self.inflight[outcome.path]
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
                self.settler.touch(os.path.join(self.top, outcome.path), time.monotonic())
                self.queue.requeue(outcome.path, outcome.gen)

    def _commit(self, done: list[Outcome]) -> None:
        from offload.git.ignore import ensure_ignored

        entries = [o.entry for o in done if o.entry is not None]
        ensure_ignored(self.ws.root, sorted({self.rel(r) for r in self.roots}))
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

    def _sleep(self, now: float) -> float:
        times = [self.next_supervise, self.next_rescan]
        due = self.settler.next_due()
        if due is not None:
            times.append(due)
        retry = self.queue.next_retry()
        if retry is not None:
            times.append(now + retry - time.time())
        return min(max(min(times) - now, 0.005), 1.0)

    def idle(self) -> bool:
        if self.inflight or len(self.settler) or self.rescan_dirs:
            return False
        return not (set(self.queue.outstanding()) - self.given_up)

    def shutdown(self, timeout: float = 300.0) -> None:
        """Stop watching, let in-flight uploads finish, record them."""
        self.watches.stop()
        wait(list(self.inflight.values()), timeout=timeout)
        try:
            self._collect()
        except QueueError as exc:  # rows stay "uploading": the next start retries them
            log.error("%s", exc.message)
        self.pool.shutdown(wait=False, cancel_futures=True)
