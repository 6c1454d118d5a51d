"""How much offload says: ``-q`` (errors only), normal, ``-v`` (a line per file).

Set once by the top-level ``offload`` group; read by every command and operation that
prints. A plain module with no imports, so anything may use it without start-up cost.
"""

from __future__ import annotations

import sys

QUIET, NORMAL, VERBOSE = -1, 0, 1
_level = NORMAL


def set_level(level: int) -> None:
    global _level
    _level = level


def quiet() -> bool:
    return _level <= QUIET


def verbose() -> bool:
    return _level >= VERBOSE


def note(line: str) -> None:
    """A line on stderr a user normally sees (a skipped file); silent under ``-q``."""
    if not quiet():
        sys.stderr.write(line + "\n")


def detail(line: str) -> None:
    """A line on stderr shown only under ``-v`` (each file uploaded)."""
    if verbose():
        sys.stderr.write(line + "\n")
