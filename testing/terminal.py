"""Run the real offload CLI with stdout and stderr on a pseudo-terminal, as in a shell."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from testing.cli import cli_env


def run_offload_in_terminal(*args: str | os.PathLike[str], cwd: Path,
                            env: Mapping[str, str] | None = None,
                            timeout: float = 120) -> tuple[int, str]:
    """``python -m offload args…`` with a terminal for stdout and stderr; (exit code, output).

    The whole output is read until the process closes the terminal, within ``timeout``.
    """
    primary, secondary = pty.openpty()
    base = {"COLUMNS": "160", "LINES": "40", "TERM": "xterm-256color"}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "offload", *map(str, args)], cwd=cwd,
                                env=cli_env({**base, **(env or {})}), stdin=subprocess.DEVNULL,
                                stdout=secondary, stderr=secondary, close_fds=True)
    finally:
        os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        rc = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(primary)
    return rc, b"".join(chunks).decode("utf-8", "replace")
