"""Deciding when a file is finished: unchanged for a while and no longer open for writing."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

Signature = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns

# Given (path, seconds it has waited) of files that look finished: those still being written.
BusyCheck = Callable[[list[tuple[str, float]]], set[str]]
BUSY_RECHECK = 0.5  # seconds between checks of a file still open for writing


@dataclass
class Candidate:
    first_seen: float
    signature: Signature
    due: float


def signature(path: str) -> Signature | None:
    """Size, mtime, inode and ctime of a regular file; None for anything else (gone, symlink,
    FIFO, socket, device). ``lstat`` only: nothing is opened and no symlink is followed."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


class Settler:
    """Candidates keyed by absolute path; :meth:`poll` hands over the finished ones.

    A candidate is finished when its signature held for ``settle`` seconds (or it has kept
    changing for ``max_wait``) and ``busy`` does not report it still open for writing. A file
    that is still being written stays a candidate however long that takes.
    """

    def __init__(self, settle: float, max_wait: float) -> None:
        self.settle = settle
        self.max_wait = max_wait
        self.items: dict[str, Candidate] = {}

    def __len__(self) -> int:
        return len(self.items)

    def touch(self, path: str, now: float) -> bool:
        """Start (or restart) the settle time of ``path``; False if it is not a regular file."""
        sig = signature(path)
        if sig is None:
            self.items.pop(path, None)
            return False
        item = self.items.get(path)
        if item is None:
            self.items[path] = Candidate(now, sig, now + self.settle)
        else:
            item.signature, item.due = sig, now + self.settle
        return True

    def forget(self, path: str) -> None:
        self.items.pop(path, None)

    def forget_under(self, folder: str) -> None:
        prefix = folder.rstrip(os.sep) + os.sep
        for path in [p for p in self.items if p.startswith(prefix)]:
            del self.items[path]

    def next_due(self) -> float | None:
        return min((c.due for c in self.items.values()), default=None)

    def poll(self, now: float, busy: BusyCheck) -> list[str]:
        """Paths that are finished now; vanished and non-regular paths are dropped silently."""
        quiet: list[tuple[str, float]] = []
        for path, item in list(self.items.items()):
            if item.due > now:
                continue
            sig = signature(path)
            if sig is None:
                del self.items[path]
                continue
            waited = now - item.first_seen
            if sig == item.signature or waited >= self.max_wait:
                quiet.append((path, waited))
            item.signature, item.due = sig, now + self.settle
        writing = busy(quiet) if quiet else set()
        ready = [path for path, _ in quiet if path not in writing]
        for path in ready:
            del self.items[path]
        for path in writing:  # a close event restarts the settle time; this is the fallback
            self.items[path].due = now + max(self.settle, BUSY_RECHECK)
        return ready
