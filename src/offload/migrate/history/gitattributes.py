"""Removing Git LFS from .gitattributes."""

from __future__ import annotations


def clean_gitattributes(data: bytes) -> bytes | None:
    """``data`` without its ``filter=lfs`` lines; None when nothing but blank lines is left."""
    kept = [line for line in data.splitlines(keepends=True) if b"filter=lfs" not in line]
    if not any(line.strip() for line in kept):
        return None
    return b"".join(kept)
