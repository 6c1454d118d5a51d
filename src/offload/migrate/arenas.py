"""At most two malloc arenas for a migration's process.

glibc gives threads that allocate at the same time arenas of their own (up to eight per core)
and keeps what is freed in each for reuse. A migration's upload, hashing and rewrite threads
allocate and free megabytes of lock text per commit, so every arena grows to its own high-water
mark: at 20,000 commits the run's process held 321 MB for less than 200 MB of live objects.
With two arenas it held 248 MB, and the run took 162 s instead of 174 s (the history-only
production shape of ``bench/`` at 20,000 commits, local store). ``MALLOC_ARENA_MAX`` in the
environment still wins.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>
ARENAS = 2


def cap_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Limit the arenas threads started from now on may create; False where that is not
    possible (another C library, or the user chose with MALLOC_ARENA_MAX)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))
