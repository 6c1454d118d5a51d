"""Paths offload reads from files it does not trust (offload.lock, plan files, the Python API).

A path must be a normalised relative POSIX path, outside ``.git``; it is written only inside
the work tree, through folders whose real location stays there, and never through a symlink
that leads out (the last step is a rename, which replaces a symlink instead of following it).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from offload.errors import ConfigError

MAX_SEGMENT_BYTES = 255
MAX_PATH_BYTES = 1024
# C0, DEL, C1 and lone surrogates (undecodable bytes smuggled through JSON or the file system)
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters HFS+ ignores in names, so ".g\u200cit" is ".git" there (git's core.protectHFS)
_IGNORED = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                  "\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"))


def is_git_name(segment: str) -> bool:
    """``.git`` as case-insensitive, HFS+ and NTFS file systems see it (``.GIT``, ``git~1``)."""
    folded = segment.translate(_IGNORED).rstrip(". ").lower()
    return folded in (".git", "git~1")


def segment_problem(segment: str) -> str | None:
    """Why one path segment (a plain file or folder name) is unsafe, or None."""
    if segment == "":
        return "it has an empty segment (`//`, or a `/` at either end)"
    if segment in (".", ".."):
        return f"it has a `{segment}` segment"
    if is_git_name(segment):
        return "it is inside .git"
    if len(segment.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
        return f"a segment is longer than {MAX_SEGMENT_BYTES} bytes"
    return None


def path_problem(path: object, controls_ok: bool = False) -> str | None:
    """Why ``path`` is not a safe repository path, or None when it is."""
    if not isinstance(path, str):
        return f"it is a {type(path).__name__}, not a string"
    if not controls_ok and (found := CONTROL_CHARACTERS.search(path)):
        return f"it contains the control character {found.group()!r}"
    if "\0" in path:
        return "it contains a NUL byte"
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return f"it is longer than {MAX_PATH_BYTES} bytes"
    if path.startswith("/"):
        return "it is absolute"
    for segment in path.split("/"):
        if problem := segment_problem(segment):
            return problem
    return None


def shown(path: object, limit: int = 80) -> str:
    """A printable, bounded form of an untrusted path (control characters escaped)."""
    text = repr(path)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def check_path(path: object, where: str, fix: str, controls_ok: bool = False) -> str:
    """``path`` itself when it is safe; otherwise a ConfigError naming ``where``."""
    problem = path_problem(path, controls_ok)
    if problem:
        raise ConfigError(f"{where}: unsafe path {shown(path)}: {problem}", fix)
    assert isinstance(path, str)
    return path


class UnsafeTarget(ValueError):
    """Why a checked path cannot be written in this work tree (the caller names the source)."""


def tree_target(root: Path, path: str, create: bool = True) -> Path:
    """The real location to write the checked repository ``path`` at.

    Folders on the way are created (``mkdir`` never follows a symlink); an existing symlinked
    folder is followed only if its real target stays inside ``root`` and outside ``.git``.
    With ``create=False`` nothing is made: the walk stops at the first missing folder."""
    real_root = Path(os.path.realpath(root))
    *folders, name = path.split("/")
    current = real_root
    for index, folder in enumerate(folders):
        step = current / folder
        try:
            info = os.lstat(step)
        except FileNotFoundError:
            if not create:
                return step.joinpath(*folders[index + 1:], name)
            os.mkdir(step)  # raises if anything (a symlink too) appeared meanwhile
            info = os.lstat(step)
        if stat.S_ISLNK(info.st_mode):
            step = Path(os.path.realpath(step))
            _require_inside(real_root, step)
            if not step.is_dir():
                raise UnsafeTarget(f"{folder!r} on its path is a symlink to a file")
        elif not stat.S_ISDIR(info.st_mode):
            raise UnsafeTarget(f"{folder!r} on its path is a file, not a folder")
        current = step
    target = current / name
    if os.path.isdir(target) and not os.path.islink(target):
        raise UnsafeTarget("a folder of that name is in the work tree")
    return target


def _require_inside(real_root: Path, real: Path) -> None:
    try:
        parts = real.relative_to(real_root).parts
    except ValueError:
        raise UnsafeTarget(f"a symlinked folder on its path leads outside the work tree "
                           f"(to {real})") from None
    if any(is_git_name(p) for p in parts):
        raise UnsafeTarget(f"a symlinked folder on its path leads into .git (to {real})")
