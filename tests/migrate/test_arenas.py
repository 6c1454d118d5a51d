"""A migration's threads share at most two malloc arenas (glibc), unless the user chose."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")

COUNT_ARENAS = """
import ctypes, sys, tempfile, threading
from offload.migrate.arenas import cap_malloc_arenas
print(cap_malloc_arenas())
together = threading.Barrier(8)
def churn():
    for _ in range(50):
        kept = [bytes(50_000) for _ in range(16)]  # malloc'd from the thread's arena
        del kept
    # an exiting thread hands its arena to the next one: all eight stay alive until all ran
    together.wait()
threads = [threading.Thread(target=churn) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
libc.fclose.argtypes = (ctypes.c_void_p,)
with tempfile.NamedTemporaryFile(suffix=".xml") as report:
    handle = libc.fopen(report.name.encode(), b"w")
    libc.malloc_info(0, handle)
    libc.fclose(handle)
    print(open(report.name).read().count("<heap nr="))
"""


def arenas_after_eight_threads(**env: str) -> tuple[str, int]:
    base = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    out = subprocess.run([sys.executable, "-c", COUNT_ARENAS], env={**base, **env},
                         capture_output=True, text=True, timeout=60, check=True).stdout.split()
    return out[0], int(out[1])


def test_threads_share_two_arenas() -> None:
    capped, arenas = arenas_after_eight_threads()
    assert capped == "True" and 1 <= arenas <= 2


def test_the_users_choice_wins() -> None:
    capped, arenas = arenas_after_eight_threads(MALLOC_ARENA_MAX="6")
    assert capped == "False" and arenas > 2  # eight threads, six arenas allowed
