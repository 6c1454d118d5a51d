"""The benchmarks' memory sampler counts each address space once: a child that has forked
but not yet exec'd holds its parent's pages, not memory of its own. Their CPU count takes in
every process a step waited for, and the server beside it as a separate figure."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench._common import _rss, run_measured, tree_rss

MiB = 1024 * 1024

# Holds 120 MiB, then forks: the child sleeps without exec (the window every spawn opens for
# a moment), a second child execs `sleep`. Prints "ready" once both exist.
HOLDER = """
import os, subprocess, sys, time
block = bytearray(120 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
sleeper = subprocess.Popen(["sleep", "60"])
print("ready", flush=True)
sys.stdin.read()
sleeper.kill()
"""


@pytest.fixture
def holder() -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield proc
    subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=False)
    proc.kill()
    proc.wait(timeout=10)


def _child_pids(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def test_a_child_that_has_not_exec_d_is_not_counted_twice(
        holder: subprocess.Popen[str]) -> None:
    children = _child_pids(holder.pid)
    assert len(children) == 2
    forked = [c for c in children if _rss(c) > 100 * MiB]
    assert len(forked) == 1, "the forked child maps its parent's 120 MiB (the double count)"
    execd = [c for c in children if c not in forked]
    parent = _rss(holder.pid)
    assert parent > 120 * MiB
    deadline = time.monotonic() + 5
    while _rss(execd[0]) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    total = tree_rss(holder.pid)
    # the parent once, plus the exec'd `sleep` (a real program of its own, counted)
    assert parent + _rss(execd[0]) <= total < parent + 20 * MiB


# Burns as many seconds of its own CPU as its argument says (gives up after 20 s of wall time).
BURN = """
import sys, time
wall = time.monotonic()
while time.process_time() < float(sys.argv[1]) and time.monotonic() - wall < 20:
    pass
"""


def test_cpu_counts_the_children_a_step_waited_for() -> None:
    spawn = ("import subprocess, sys; "
             f"subprocess.run([sys.executable, '-c', {BURN!r}, '0.4'], check=True)")
    measured = run_measured([sys.executable, "-c", spawn], Path.cwd(), timeout=60)
    assert measured.returncode == 0
    assert measured.beside_cpu is None
    # the grandchild's 0.4 s, plus two interpreters starting
    assert 0.4 <= measured.cpu < 0.4 + 1.5


@pytest.mark.parametrize("busy", [True, False])
def test_cpu_beside_is_the_watched_process_s_own(busy: bool) -> None:
    watched = subprocess.Popen([sys.executable, "-c", BURN, "30"] if busy else ["sleep", "30"])
    try:
        time.sleep(0.2)  # started: its start-up is not the step's
        measured = run_measured(["sleep", "1"], Path.cwd(), timeout=60, beside=watched.pid)
    finally:
        watched.kill()
        watched.wait(timeout=10)
    assert measured.beside_cpu is not None
    assert measured.cpu < 0.2  # `sleep` spends next to nothing
    if busy:  # it ran beside the step, on one core at most
        assert 0.1 < measured.beside_cpu <= measured.seconds + 0.05
    else:
        assert measured.beside_cpu < 0.05
