"""Run the real offload CLI in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parent.parent / "src"


@dataclass
class CliResult:
    rc: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def ctrl_c_as_at_a_terminal() -> None:
    """``preexec_fn`` for a child a test sends Ctrl-C to: SIGINT handled as at a terminal.

    A program started as a background job of a non-interactive shell (`.ci/run &`) inherits
    SIGINT ignored, as POSIX wants; Python then never raises KeyboardInterrupt and the child
    runs on, whatever offload does."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


def run_offload(*args: str | os.PathLike[str], cwd: Path, env: Mapping[str, str] | None = None,
                input: str | None = None, timeout: float = 120) -> CliResult:
    """``python -m offload args…`` in ``cwd``; never raises on a non-zero exit."""
    proc = subprocess.run(
        [sys.executable, "-m", "offload", *map(str, args)],
        cwd=cwd, env=cli_env(env), input=input, capture_output=True, text=True,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
