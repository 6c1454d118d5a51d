"""Rescanning the watched folders for files the events did not (or could not) report."""

from __future__ import annotations

import logging
import os
import stat
from collections import Counter
from collections.abc import Iterator

from offload.watch.settings import is_temp_name

log = logging.getLogger("offload.watch")
_reported: dict[str, str] = {}  # path -> kind: each skipped path is logged once per run


def iter_files(root: str, top: str) -> Iterator[str]:
    """Absolute paths of candidate files under ``root`` (inside the work tree ``top``).

    Symlinked folders are reported and never followed; hidden folders (``.git``) are skipped.
    """

    def report(exc: OSError) -> None:
        log.warning("cannot list %s: %s", exc.filename, exc.strerror)

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=False):
        for name in dirnames:
            if not name.startswith(".") and os.path.islink(os.path.join(dirpath, name)):
                report_skipped(os.path.join(dirpath, name), top)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not is_temp_name(name):
                yield os.path.join(dirpath, name)


def report_skipped(path: str, top: str) -> None:
    """Log (once) why an existing path that is not a regular file is not uploaded."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # gone: nothing to say
    if stat.S_ISREG(mode) or path in _reported:
        return
    kind = "symlink" if stat.S_ISLNK(mode) else "folder" if stat.S_ISDIR(mode) else \
        "special file (FIFO, socket or device)"
    _reported[path] = kind.split(" (")[0]
    why = "offload never reads through a symlink" if stat.S_ISLNK(mode) else \
        "only regular files are uploaded"
    log.warning("skipped %s %s: %s", kind, os.path.relpath(path, top), why)


def skipped_kinds() -> Counter[str]:
    """How many paths of each kind (symlink, folder, special file) this run skipped."""
    return Counter(_reported.values())
