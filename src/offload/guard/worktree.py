"""Work-tree files that ``offload fix`` touches, never through a symbolic link.

A repository path is used only when no folder between the work tree's root and the file is a
symlink and the file itself is a regular file opened with ``O_NOFOLLOW`` (FIFOs and devices are
never opened for reading: ``O_NONBLOCK`` and a check of what was opened).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def folders_are_real(root: Path, rel: str) -> bool:
    """No folder on the way from ``root`` to ``rel`` is a symlink (missing ones are fine)."""
    current = root
    for part in PurePosixPath(rel).parent.parts:
        current = current / part
        if current.is_symlink():
            return False
        if not current.exists():
            return True
    return True


def read_regular(root: Path, rel: str) -> bytes | None:
    """The content of a regular file at ``rel``, or None (absent, a link, a FIFO…)."""
    if not folders_are_real(root, rel):
        return None
    try:
        fd = os.open(root / rel, os.O_RDONLY | NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read()


def replace_regular(root: Path, rel: str, data: bytes) -> None:
    """Overwrite the regular file at ``rel`` (read with :func:`read_regular` just before)."""
    fd = os.open(root / rel, os.O_WRONLY | os.O_TRUNC | NOFOLLOW)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class NewFile:
    """A file for ``rel`` written under a temporary name beside it and renamed into place by
    :meth:`finish`, so a crash never leaves a half-written file at ``rel``."""

    def __init__(self, target: Path, handle: BinaryIO) -> None:
        self.target, self.handle = target, handle
        self.part = part_name(target)

    def finish(self) -> None:
        self.handle.close()
        if not os.path.lexists(self.target):
            os.rename(self.part, self.target)
        else:
            os.unlink(self.part)


def part_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.offload-part")


def open_new(root: Path, rel: str) -> NewFile | None:
    """A :class:`NewFile` for ``rel``, or None when something is there already or a folder on
    the way is a symlink (nothing is created then)."""
    target = root / rel
    if os.path.lexists(target) or not folders_are_real(root, rel):
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    part = part_name(target)
    if os.path.lexists(part):
        os.unlink(part)  # left by a killed run; unlink never follows a link
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    return NewFile(target, os.fdopen(fd, "wb"))
