"""The ``Examples:`` block at the end of every command's ``--help``."""

from __future__ import annotations


def examples(*lines: str) -> str:
    """A click epilog listing ``lines`` as they are (``\\b``: click keeps them unwrapped)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
