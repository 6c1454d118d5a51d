"""inotify limits: watchdog silently skips directories it could not watch, so count ourselves."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc/sys/fs/inotify")


def read_limit(name: str, proc: Path = PROC) -> int | None:
    try:
        return int((proc / name).read_text().strip())
    except (OSError, ValueError):
        return None


def sysctl_hint(name: str, needed: int) -> str:
    """The exact commands that raise ``fs.inotify.<name>`` now and after a reboot."""
    value = max(524288 if name == "max_user_watches" else 1024, 2 * needed)
    return (f"raise the limit: `sudo sysctl fs.inotify.{name}={value}` (and keep it across "
            f"reboots: `echo fs.inotify.{name}={value} | sudo tee "
            f"/etc/sysctl.d/90-offload-watch.conf`), or run `offload watch --poll`")


def count_dirs(roots: Iterable[str]) -> int:
    total = 0
    for root in roots:
        for _dirpath, dirnames, _ in os.walk(root):
            total += 1
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(_dirpath, d))]
    return total


def watches_in_use() -> int | None:
    """inotify watches held by this process (None when /proc does not tell)."""
    total, found = 0, False
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") != "anon_inode:inotify":
                continue
            with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as info:
                total += sum(1 for line in info if line.startswith("inotify wd:"))
            found = True
        except OSError:
            continue
    return total if found else None


def check_before(roots: list[str], proc: Path = PROC) -> str | None:
    """A warning with the sysctl fix when the folders need more watches than the limit."""
    limit = read_limit("max_user_watches", proc)
    needed = count_dirs(roots)
    if limit is not None and needed > limit:
        return (f"the watched folders hold {needed} directories but fs.inotify.max_user_watches "
                f"is {limit}; some directories would not be watched. " +
                sysctl_hint("max_user_watches", needed))
    return None


def check_after(roots: list[str]) -> str | None:
    """Compare the watches actually added with the directories that needed one."""
    used = watches_in_use()
    needed = count_dirs(roots)
    if used is not None and used < needed:
        return (f"only {used} of {needed} directories could be watched (inotify limit reached; "
                "the periodic rescan still finds their files, later). " +
                sysctl_hint("max_user_watches", needed))
    return None
