"""Shared helpers of the benchmarks: run a command, time it, sample its tree's memory, and
count the CPU it and a server beside it spent."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss: int  # bytes: the largest sum of RSS over the process tree seen while sampling
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False  # killed at the timeout: seconds and peak_rss are lower bounds
    cpu: float = 0.0  # CPU seconds (user + system) of the command and every child it waited for
    beside_cpu: float | None = None  # CPU seconds the process watched beside it (the store's
    # server) spent meanwhile; None when none was watched

    def check(self, what: str) -> Measured:
        if self.returncode != 0 and not self.timed_out:
            tail = (self.stderr or self.stdout).strip()[-2000:]
            raise RuntimeError(f"{what} failed with status {self.returncode}:\n{tail}")
        return self


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        found.extend(int(c) for c in text.split())
    return found


def _rss(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * PAGE if len(fields) > 1 else 0


def _image(pid: int) -> tuple[str, bytes] | None:
    """The program a process runs and its arguments (None once it is gone)."""
    try:
        return os.readlink(f"/proc/{pid}/exe"), Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def tree_rss(root: int, limit: int = 10_000) -> int:
    """Sum of the resident memory of ``root`` and all its descendants (bounded walk).

    A child that has not yet called exec (same program, same arguments as its parent) is
    counted as part of its parent: between fork or vfork and exec its RSS *is* the parent's
    pages, and adding it would count them twice. Each subprocess spawn opens that window for
    a moment, so a 0.05 s sampler over a run that spawns git often caught it now and then.
    """
    todo: list[tuple[int, tuple[str, bytes] | None]] = [(root, None)]
    total, seen = 0, set[int]()
    while todo and len(seen) < limit:
        pid, parent_image = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        image = _image(pid)
        if image is None or image != parent_image:
            total += _rss(pid)
        todo.extend((child, image) for child in _children(pid))
    return total


def tree_cpu(root: int, limit: int = 10_000) -> float:
    """CPU seconds of ``root`` and its descendants so far: each live process's own, and what
    the children each has waited for spent (bounded walk)."""
    todo, seen, total = [root], set[int](), 0
    while todo and len(seen) < limit:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:  # after the parenthesised name: utime, stime, cutime, cstime are fields 11-14
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(f) for f in fields[11:15])
        todo.extend(_children(pid))
    return total / TICKS


def _waited_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_measured(cmd: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None,
                 timeout: float = 3600.0, keep_timeout: bool = False,
                 beside: int | None = None) -> Measured:
    """Run ``cmd`` to completion; wall time, the peak RSS of its process tree, the CPU it spent
    and, when ``beside`` names a process (the store's server), the CPU that one spent meanwhile.

    Past ``timeout`` the process group is killed: an error, or with ``keep_timeout`` a
    ``Measured`` marked ``timed_out`` (so a long benchmark still reports its other steps).
    The benchmarks run one step at a time: the CPU of children reaped meanwhile is this one's.
    """
    peak = 0
    stop = threading.Event()
    waited, watched = _waited_cpu(), None if beside is None else tree_cpu(beside)
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=dict(env) if env is not None else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        stop.set()
        sampler.join(timeout=5)
        if not keep_timeout:
            raise RuntimeError(f"{cmd[0]} did not finish within {timeout:.0f}s") from None
        return Measured(time.perf_counter() - start, peak, proc.returncode, out, err, True,
                        _waited_cpu() - waited, _spent(beside, watched))
    seconds, beside_cpu = time.perf_counter() - start, _spent(beside, watched)
    stop.set()
    sampler.join(timeout=5)
    return Measured(seconds, peak, proc.returncode, out, err, cpu=_waited_cpu() - waited,
                    beside_cpu=beside_cpu)


def _spent(pid: int | None, before: float | None) -> float | None:
    """CPU seconds ``pid`` spent since ``before`` was read (None: no process watched)."""
    return None if pid is None or before is None else tree_cpu(pid) - before


def mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"
