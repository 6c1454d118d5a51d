"""Rescanning the watched folders for files the events did not (or could not) report."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

from offload.watch.settings import is_temp_name

log = logging.getLogger("offload.watch")


def iter_files(root: str) -> Iterator[str]:
    """Absolute paths of candidate files under ``root``; symlinks are never followed."""

    def report(exc: OSError) -> None:
        log.warning("cannot list %s: %s", exc.filename, exc.strerror)

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not is_temp_name(name):
                yield os.path.join(dirpath, name)
