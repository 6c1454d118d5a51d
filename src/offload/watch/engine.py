"""The watch loop's work: events -> settle -> queue -> uploads -> manifest, one step at a time."""

from __future__ import annotations

import logging
import os
import time

from offload.ops.tally import Tally
from offload.watch.observer import Inbox, Watches
from offload.watch.queue import Queue
from offload.watch.scan import iter_files, report_skipped, skipped_kinds
from offload.watch.settings import WatchSettings
from offload.watch.settle import Settler, signature
from offload.watch.uploads import Uploads
from offload.watch.writers import OpenFiles, open_for_writing
from offload.workspace import Workspace

log = logging.getLogger("offload.watch")


class Engine:
    def __init__(self, ws: Workspace, roots: list[str], settings: WatchSettings, queue: Queue,
                 poll: bool, once: bool) -> None:
        self.ws, self.roots, self.settings, self.queue, self.once = ws, roots, settings, queue, once
        self.top = str(ws.root)
        self.inbox = Inbox()
        self.settler = Settler(settings.settle, settings.max_wait)
        self.open_files = OpenFiles()
        self.watches = Watches(roots, self.inbox, settings.poll_interval if poll else None)
        self.uploads = Uploads(ws, roots, settings, queue, once, self.inbox.wake,
                               lambda path: self._touch(path, time.monotonic()))
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
        self._rescan(self.roots, now)  # what appeared while no daemon ran
        self.next_supervise = now + 1.0
        self.next_rescan = now + self.settings.rescan_interval

    def step(self) -> float:
        """Do everything that is due; return how long the loop may sleep."""
        now = time.monotonic()
        for kind, path in self.inbox.drain():
            if kind != "lost" and self._in_git_dir(path):
                continue
            if kind == "opened":
                self.open_files.opened(path)
            elif kind == "released":
                self.open_files.closed(path)
            elif kind == "closed" or kind == "created":
                if kind == "closed":
                    self.open_files.closed(path)
                self._touch(path, now)
            elif kind == "deleted":
                self.settler.forget(path)
                self.settler.forget_under(path)
                self.open_files.forget_under(path)
            elif kind == "dir":
                self.rescan_dirs.add(path)
            elif kind == "lost":
                log.warning("filesystem events may have been lost; rescanning")
                self.open_files.clear()  # /proc alone tells who still writes
                self.rescan_dirs.update(self.roots)
        if now >= self.next_supervise:
            self.next_supervise = now + 1.0
            for root in self.watches.supervise():
                self.settler.forget_under(root)
                self.rescan_dirs.add(root)
        if now >= self.next_rescan:
            self.next_rescan = now + self.settings.rescan_interval
            self._rescan(self.roots, now)
        if self.rescan_dirs:
            self._rescan(sorted(self.rescan_dirs), now)
            self.rescan_dirs.clear()
        ready = self.settler.poll(now, self._still_written)
        if ready:
            self.queue.enqueue(self.rel(p) for p in ready)
        self.uploads.collect()
        self.uploads.dispatch({self.rel(p) for p in self.settler.items})
        return self._sleep(now)

    def _rescan(self, folders: list[str], now: float) -> None:
        """Make candidates of the files the queue does not know in this version.

        Files already waiting keep their state: whether one is still open for writing is
        decided when it looks finished (see :meth:`_still_written`), never by a rescan.
        """
        known = self.queue.known()
        for path in (p for folder in folders for p in iter_files(folder, self.top)):
            if path in self.settler.items:
                continue
            row = known.get(self.rel(path))
            sig = signature(path)
            if sig is None:
                report_skipped(path, self.top)
            elif row is None or (row[0] == "done" and row[1:3] != sig[:2]):
                self.settler.touch(path, now)

    def _touch(self, path: str, now: float) -> None:
        if not self.settler.touch(path, now):
            report_skipped(path, self.top)

    def _still_written(self, quiet: list[tuple[str, float]]) -> set[str]:
        """Of the files that look finished, those some process still has open for writing.

        A handle inotify saw opened and not yet closed holds a file back for ``max_wait``
        (it may be a reader); after that, and for files opened before their folder was
        watched (or in poll mode), a writer visible in /proc does.
        """
        held = {path for path, waited in quiet
                if self.open_files.is_open(path) and waited < self.settings.max_wait}
        return held | open_for_writing(path for path, _ in quiet if path not in held)

    def _in_git_dir(self, path: str) -> bool:
        return ".git" in self.rel(path).split(os.sep)

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

    def tally(self) -> Tally:
        """Counts and bytes of this run, with the paths skipped (symlinks, special files)."""
        counted = self.uploads.tally
        counted.skipped = skipped_kinds()
        return counted
