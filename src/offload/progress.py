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
    """``advance(n)``: n more bytes (or items) done; ``advance.file_done()``: one more file
    finished. Thread-safe; a no-op when no bar is drawn."""

    def __init__(self, bar: Any = None, task: Any = None, total: int = 0, files: int = 0,
                 unit: str | None = None) -> None:
        self._bar, self._task = bar, task
        self._lock = threading.Lock()
        self.total, self.files_total, self.unit = total, files, unit
        self.done = 0
        self.files = 0

    def attach(self, bar: Any, description: str) -> Advance:
        """Draw this count as a new task of ``bar`` (its detail shown from the first frame)."""
        self._bar = bar
        self._task = bar.add_task(description, total=self.total, detail=self.detail())
        return self

    def detail(self) -> str:
        if self.unit is not None:
            return f"{self.done}/{self.total} {self.unit}"
        from offload.units import human_bytes

        text = f"{human_bytes(self.done)}/{human_bytes(self.total)}"
        return text + (f" · {self.files}/{self.files_total} files" if self.files_total else "")

    def __call__(self, n: int) -> None:
        if self._bar is not None:
            with self._lock:
                self.done += n
                self._bar.update(self._task, advance=n, detail=self.detail())

    def file_done(self, count: int = 1) -> None:
        if self._bar is not None:
            with self._lock:
                self.files += count
                self._bar.update(self._task, detail=self.detail())


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
    with _shared_bar(description, total, files, None) as advance:
        yield advance


@contextmanager
def count_progress(description: str, total: int, unit: str, enabled: bool | None = None
                   ) -> Iterator[Advance]:
    """Yield an :class:`Advance` counting ``total`` items (commits, documents) one by one."""
    if not drawing(enabled) or total <= 0:
        yield Advance()
        return
    with _shared_bar(description, total, 0, unit) as advance:
        yield advance


# One bar on screen at a time: a second one (uploads during a history rewrite) joins it.
_active: list[Any] = []
_active_lock = threading.Lock()


@contextmanager
def _shared_bar(description: str, total: int, files: int, unit: str | None
                ) -> Iterator[Advance]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from offload.style import console

    with _active_lock:
        shared = _active[0] if _active else None
    if shared is not None:
        advance = Advance(total=total, files=files, unit=unit).attach(shared, description)
        try:
            yield advance
        finally:
            shared.remove_task(advance._task)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.fields[detail]}"), TimeRemainingColumn(),
                  console=console(stderr=True), transient=True,
                  redirect_stdout=False, redirect_stderr=False) as bar:
        with _active_lock:
            _active.append(bar)
        try:
            yield Advance(total=total, files=files, unit=unit).attach(bar, description)
        finally:
            with _active_lock:
                _active.remove(bar)
