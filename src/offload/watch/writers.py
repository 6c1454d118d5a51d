"""Who still has a file open: inotify open/close counts, and writers found in /proc (Linux).

What is guaranteed before a file is handed over (besides size, mtime, inode and ctime staying
unchanged for the settle time):

- inotify mode: no handle opened while the folder was watched is still open (up to
  ``max_wait``, since a reader's handle looks the same), and no process this user can inspect
  in /proc holds the file open for writing (never handed over while one does).
- poll mode: only the /proc check and the settle time. A writer in another user's process
  (without root), on another machine (network filesystems) or in another container is not
  seen: there the settle time is the only protection; raise ``watch.settle_ms`` to above the
  longest pause between two writes.

One /proc scan costs a readlink per visible descriptor (``bench/watch.py --writer-scan``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

PROC = "/proc"


class OpenFiles:
    """Open handles per path as inotify reported them (IN_OPEN minus IN_CLOSE_*)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def opened(self, path: str) -> None:
        self.counts[path] = self.counts.get(path, 0) + 1

    def closed(self, path: str) -> None:
        left = self.counts.get(path, 0) - 1
        if left > 0:
            self.counts[path] = left
        else:  # a handle opened before the watch started closes without a matching open
            self.counts.pop(path, None)

    def forget_under(self, path: str) -> None:
        prefix = path.rstrip(os.sep) + os.sep
        for known in [p for p in self.counts if p == path or p.startswith(prefix)]:
            del self.counts[known]

    def clear(self) -> None:
        """Events were lost: the counts can no longer be trusted."""
        self.counts.clear()

    def is_open(self, path: str) -> bool:
        return self.counts.get(path, 0) > 0


def open_for_writing(paths: Iterable[str]) -> set[str]:
    """The given absolute paths that some visible process holds open for writing.

    One pass over /proc/*/fd (a readlink per descriptor); fdinfo is read only for descriptors
    that point at a wanted file. Processes of other users are not visible to a normal user.
    """
    wanted = {os.path.realpath(p): p for p in paths}
    found: set[str] = set()
    if not wanted:
        return found
    try:
        pids = [name for name in os.listdir(PROC) if name.isdigit()]
    except OSError:
        return found  # no /proc: only the settle time protects the files
    for pid in pids:
        fd_dir = f"{PROC}/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue  # gone, or another user's process
        for fd in fds:
            try:
                target = os.readlink(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if target in wanted and _writable(pid, fd):
                found.add(wanted[target])
    return found


def _writable(pid: str, fd: str) -> bool:
    try:
        with open(f"{PROC}/{pid}/fdinfo/{fd}", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("flags:"):
                    return (int(line.split()[1], 8) & os.O_ACCMODE) in (os.O_WRONLY, os.O_RDWR)
    except (OSError, ValueError, IndexError):
        return False
    return False
