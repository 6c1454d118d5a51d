"""Progress bars on stderr (bytes and, when known, files), only when stderr is a terminal.

One helper for every long transfer: put, get, pull, verify, migrate. Quiet (``-q``) draws none;
``NO_COLOR`` draws the bar without colour.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Advance:
    """``advance(n)``: n more bytes moved; ``advance.file_done()``: one more file finished.

    Thread-safe; a no-op when no bar is drawn.
    """

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar, self._task = bar, task
        self._lock = threading.Lock()
        self.files = 0

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            with self._lock:
                self._bar.advance(self._task, n)

    def file_done(self, count: int = 1) -> None:
        if self._bar is not None:
            with self._lock:
                self.files += count
                self._bar.update(self._task, files=self.files)


def drawing(enabled: bool | None = None) -> bool:
    from offload.verbosity import quiet

    if enabled is None:
        enabled = sys.stderr.isatty()
    return enabled and not quiet()


@contextmanager
def byte_progress(description: str, total: int, files: int = 0, enabled: bool | None = None
                  ) -> Iterator[Advance]:
    """Yield an :class:`Advance` for a transfer of ``total`` bytes in ``files`` files."""
    if not drawing(enabled) or total <= 0:
        yield Advance()
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from offload.style import console

    counts = [TextColumn("{task.fields[files]}/" + f"{files} files")] if files > 0 else []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), *counts, DownloadColumn(binary_units=True),
        TransferSpeedColumn(), TimeRemainingColumn(), console=console(stderr=True),
        transient=True,
    ) as bar:
        yield Advance(bar, bar.add_task(description, total=total, files=0))
