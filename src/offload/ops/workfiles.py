"""Choosing and opening work-tree files to upload, never through a symlink or a special file.

A work tree is not trusted: a branch can plant ``docs/notes.png -> ~/.aws/credentials`` or a
FIFO that blocks whoever opens it. So folders are walked with ``lstat`` semantics, symlinks and
special files are skipped without being opened, and every file is opened with ``O_NOFOLLOW``
and checked to be a regular file on the open descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from offload.errors import UnsafePathError, UsageError

OnSkip = Callable[[Path, str], None]  # (path, why) for each entry left out of a folder
SYMLINK_REASON = "a symbolic link (offload never reads through one)"


def print_skip(path: Path, why: str) -> None:
    from offload.verbosity import note

    note(f"skipped {shown(path)}: {why}")


def skip_label(why: str) -> str:
    """The short reason of a summary line (``1 skipped (symlink)``) for a skip's ``why``."""
    if why == SYMLINK_REASON:
        return "symlink"
    if "special files" in why:
        return "special file"
    return "name not UTF-8" if "UTF-8" in why else why


def shown(path: Path | str) -> str:
    """``path`` printable: bytes that are not UTF-8 appear as ``\\xff`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def expand_paths(paths: Iterable[Path], on_skip: OnSkip = print_skip) -> list[Path]:
    """Files named directly, and the regular files under folders named.

    Hidden entries are left out silently; symlinks, special files and names that are not UTF-8
    are left out with ``on_skip``. A symlink or special file named directly is refused.
    """
    files: list[Path] = []
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            raise UsageError(f"{path} does not exist",
                             "check the path (offload put takes files and folders)") from None
        if stat.S_ISLNK(mode):
            raise refused_symlink(path)
        if stat.S_ISDIR(mode):
            files.extend(_walk(path, on_skip))
            continue
        if not stat.S_ISREG(mode):
            raise UsageError(f"{path} is {kind_of(mode)}, not a regular file",
                             "offload put takes regular files and folders")
        require_utf8_name(path)
        files.append(path)
    return files


def _walk(top: Path, on_skip: OnSkip) -> Iterator[Path]:
    folders = [top]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except FileNotFoundError:
                continue  # removed since the listing
            why = _unusable(entry.name, mode)
            if why is not None:
                on_skip(path, why)
            elif stat.S_ISDIR(mode):
                subfolders.append(path)
            else:
                yield path
        folders.extend(reversed(subfolders))


def _unusable(name: str, mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return SYMLINK_REASON
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        return f"{kind_of(mode)} (special files are never opened)"
    if not _is_utf8(name):
        return "its name is not UTF-8 (rename it to upload it)"
    return None


def kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def require_utf8_name(path: Path | str) -> None:
    if not _is_utf8(str(path)):
        raise UsageError(f"the name {shown(path)} is not UTF-8 (object keys and offload.lock "
                         "are UTF-8)", "rename the file (e.g. to an ASCII name), then retry")


def refused_symlink(path: Path | str) -> UnsafePathError:
    return UnsafePathError(
        f"{path} is {SYMLINK_REASON}",
        "name the file it points to if that is in the repository, or replace the link with "
        "a copy of the file",
    )


def open_regular(path: Path) -> int:
    """A read descriptor for ``path`` if it is a regular file itself (not a link to one)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refused_symlink(path) from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UsageError(f"{path} is {kind_of(mode)}, not a regular file",
                         "offload uploads regular files only")
    return fd
