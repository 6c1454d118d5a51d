"""watchdog wiring: events into an inbox, folders that vanish and come back, lost events."""

from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass
from typing import Any

from offload.watch.settings import is_temp_name

log = logging.getLogger("offload.watch")

# Inbox kinds: "closed" (close-write, renamed into place, or a poll event), "created",
# "opened" and "released" (IN_OPEN, IN_CLOSE_NOWRITE: open handles are counted), "deleted",
# "dir" (rescan that folder), "lost" (rescan all).
Event = tuple[str, str]


class Inbox:
    def __init__(self) -> None:
        self.events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self.wake = threading.Event()

    def put(self, kind: str, path: str) -> None:
        self.events.put((kind, path))
        self.wake.set()

    def drain(self) -> list[Event]:
        out: list[Event] = []
        while True:
            try:
                out.append(self.events.get_nowait())
            except queue.Empty:
                return out


class _LossDetector(logging.Handler):
    """watchdog only logs an inotify overflow; turn that log line into a rescan."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__(logging.WARNING)
        self.inbox = inbox

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().lower()
        if "overflow" in text or "unable to" in text:
            self.inbox.put("lost", "")


@dataclass
class _Root:
    path: str
    inode: int | None = None
    watch: Any = None


class Watches:
    def __init__(self, roots: list[str], inbox: Inbox, poll: float | None) -> None:
        self.inbox = inbox
        self.poll = poll
        self.roots = [_Root(r) for r in roots]
        self.observer = self._make_observer()
        self._detector = _LossDetector(inbox)
        logging.getLogger("watchdog").addHandler(self._detector)

    def _make_observer(self) -> Any:
        if self.poll is not None:
            from watchdog.observers.polling import PollingObserver

            return PollingObserver(timeout=self.poll)
        from watchdog.observers.inotify import InotifyObserver

        # Full events: a file moved in from outside arrives as a move, not as a creation.
        return InotifyObserver(generate_full_events=True)

    def start(self) -> None:
        for root in self.roots:
            self._schedule(root)
        self.observer.start()

    def stop(self) -> None:
        logging.getLogger("watchdog").removeHandler(self._detector)
        self.observer.stop()
        self.observer.join(timeout=10)

    def supervise(self) -> list[str]:
        """Folders deleted, or deleted and recreated, since the last call; re-watch them."""
        changed: list[str] = []
        for root in self.roots:
            try:
                inode: int | None = os.stat(root.path).st_ino
            except OSError:
                inode = None
            if inode == root.inode:
                continue
            if root.watch is not None:
                try:
                    self.observer.unschedule(root.watch)
                except (KeyError, ValueError):
                    pass  # its emitter already stopped when the folder went away
                root.watch = None
            log.warning("%s %s", "watched folder is back:" if inode else
                        "watched folder was deleted (waiting for it to reappear):", root.path)
            self._schedule(root)
            changed.append(root.path)
        return changed

    def _schedule(self, root: _Root) -> None:
        try:
            root.inode = os.stat(root.path).st_ino
        except OSError:
            root.inode = None
            return
        root.watch = self.observer.schedule(_Handler(self.inbox, self.poll is not None),
                                            root.path, recursive=True,
                                            event_filter=self._filter())

    def _filter(self) -> list[Any] | None:
        if self.poll is not None:
            return None
        from watchdog import events as ev

        # No per-write IN_MODIFY: opens and closes tell whether a file is still being written.
        return [ev.FileCreatedEvent, ev.FileMovedEvent, ev.FileOpenedEvent, ev.FileClosedEvent,
                ev.FileClosedNoWriteEvent, ev.FileDeletedEvent, ev.DirCreatedEvent,
                ev.DirMovedEvent, ev.DirDeletedEvent]


class _Handler:
    """A minimal watchdog handler (duck-typed: watchdog only calls ``dispatch``)."""

    def __init__(self, inbox: Inbox, polling: bool) -> None:
        self.inbox = inbox
        self.polling = polling

    def dispatch(self, event: Any) -> None:
        kind = event.event_type
        src = os.fsdecode(event.src_path)
        dest = os.fsdecode(getattr(event, "dest_path", "") or "")
        if event.is_directory:
            if kind in ("created", "moved"):
                self.inbox.put("dir", dest or src)
            elif kind == "deleted":
                self.inbox.put("deleted", src)
            return
        if kind == "moved":
            if src:
                self.inbox.put("deleted", src)
            if dest and not is_temp_name(os.path.basename(dest)):
                self.inbox.put("closed", dest)
            return
        if is_temp_name(os.path.basename(src)):
            return
        if kind == "closed" or (self.polling and kind in ("created", "modified")):
            self.inbox.put("closed", src)
        elif kind in ("created", "opened", "deleted"):
            self.inbox.put(kind, src)
        elif kind == "closed_no_write":
            self.inbox.put("released", src)
