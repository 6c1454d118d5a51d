"""The watch loop's work: events -> settle -> queue -> uploads -> manifest, one step at a time."""

from __future__ import annotations

import logging
import os
import time

from offload.watch.observer import Inbox, Watches
from offload.watch.queue import Queue
from offload.watch.scan import iter_files
from offload.watch.settings import WatchSettings
from offload.watch.settle import Settler, signature
from offload.watch.uploads import Uploads
from offload.workspace import Workspace

log = logging.getLogger("offload.watch")


class Engine:
    def __init__(self, ws: Workspace, roots: list[str], settings: WatchSettings, queue: Queue,
                 poll: bool, once: bool) -> None:
        self.ws, self.roots, self.settings, self.queue, self.once = ws, roots, settings, queue, once
        self.top = str(ws.root)
        self.inbox = Inbox()
        self.settler = Settler(settings.settle, settings.max_wait)
        self.watches = Watches(roots, self.inbox, settings.poll_interval if poll else None)
        self.uploads = Uploads(ws, roots, settings, queue, once, self.inbox.wake,
                               lambda path: self.settler.touch(path, time.monotonic()))
        self.next_rescan = 0.0
        self.next_supervise = 0.0
        self.rescan_dirs: set[str] = set()

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
        self.uploads.collect()
        self.uploads.dispatch({self.rel(p) for p in self.settler.items})
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
        if self.uploads.busy() or len(self.settler) or self.rescan_dirs:
            return False
        return not (set(self.queue.outstanding()) - self.uploads.given_up)

    def shutdown(self, timeout: float = 300.0) -> None:
        """Stop watching, let in-flight uploads finish, record them."""
        self.watches.stop()
        self.uploads.shutdown(timeout)

    @property
    def uploaded(self) -> int:
        return self.uploads.uploaded
