"""Colour on a terminal only, and never under ``NO_COLOR`` (https://no-color.org)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

RED, DIM, BOLD, RESET = "\x1b[31m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def no_color() -> bool:
    return os.environ.get("NO_COLOR", "") != ""


def colour_enabled(stream: TextIO) -> bool:
    try:
        return not no_color() and stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def error_text(message: str, next_step: str, stream: TextIO | None = None) -> str:
    """``error: …`` red and ``next:`` bold when ``stream`` (stderr) is a terminal."""
    plain = f"error: {message}\n  next: {next_step}"
    if not colour_enabled(stream or sys.stderr):
        return plain
    return f"{RED}{BOLD}error:{RESET}{RED} {message}{RESET}\n  {BOLD}next:{RESET} {next_step}"


def console(stderr: bool = False) -> Console:
    """A rich console that draws no styles at all (no colour, bold or italics) under NO_COLOR."""
    from rich.console import Console

    if no_color():
        return Console(stderr=stderr, color_system=None, no_color=True)
    return Console(stderr=stderr)
