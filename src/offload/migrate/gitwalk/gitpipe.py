"""One long-lived git process spoken to a line at a time (``cat-file --batch``,
``hash-object --stdin-paths``): started when first needed, closed with the walk."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType
from typing import Self


class GitPipe:
    """Subclasses name the git arguments; use it as a context manager."""

    def __init__(self, cwd: Path, args: tuple[str, ...]) -> None:
        self.cwd = cwd
        self.args = args
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            from offload.git.pinned import pinned_args

            self._proc = subprocess.Popen(["git", *pinned_args(), *self.args], cwd=self.cwd,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self._proc

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        proc.stdout.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
