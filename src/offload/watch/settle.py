"""Deciding when a file is finished: closed (or renamed into place) and unchanged for a while."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

Signature = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass
class Candidate:
    first_seen: float
    awaiting_close: bool
    signature: Signature
    due: float


def signature(path: str) -> Signature | None:
    """Size, mtime and inode of a regular file; None for anything else (gone, symlink, FIFO)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class Settler:
    """Candidates keyed by absolute path; :meth:`poll` hands over the settled ones.

    A file still open for writing (created, not yet closed) waits for its close event; if
    none comes within ``max_wait`` it is handed over once it stops changing. A closed file is
    handed over when its signature held for ``settle`` seconds, or after ``max_wait`` even if
    it keeps changing (a changed file is simply uploaded again).
    """

    def __init__(self, settle: float, max_wait: float) -> None:
        self.settle = settle
        self.max_wait = max_wait
        self.items: dict[str, Candidate] = {}

    def __len__(self) -> int:
        return len(self.items)

    def touch(self, path: str, now: float, awaiting_close: bool = False) -> None:
        sig = signature(path)
        if sig is None:
            self.items.pop(path, None)
            return
        item = self.items.get(path)
        due = now + (self.max_wait if awaiting_close else self.settle)
        if item is None:
            self.items[path] = Candidate(now, awaiting_close, sig, due)
            return
        # The latest word wins: a file a rescan took for finished that is then opened for
        # writing waits for its close event again, or it would be sent half-written.
        item.awaiting_close = awaiting_close
        item.signature = sig
        item.due = due

    def forget(self, path: str) -> None:
        self.items.pop(path, None)

    def forget_under(self, folder: str) -> None:
        prefix = folder.rstrip(os.sep) + os.sep
        for path in [p for p in self.items if p.startswith(prefix)]:
            del self.items[path]

    def next_due(self) -> float | None:
        return min((c.due for c in self.items.values()), default=None)

    def poll(self, now: float) -> list[str]:
        """Paths that are ready now; vanished and non-regular paths are dropped silently."""
        ready: list[str] = []
        for path, item in list(self.items.items()):
            if item.due > now:
                continue
            sig = signature(path)
            if sig is None:
                del self.items[path]
                continue
            waited = now - item.first_seen
            if item.awaiting_close and waited < self.max_wait:
                item.due = item.first_seen + self.max_wait
            elif sig == item.signature or (waited >= self.max_wait and not item.awaiting_close):
                ready.append(path)
                del self.items[path]
            else:
                item.signature = sig
                item.due = now + self.settle
        return ready
