"""Adding paths to the repository's .gitignore, once each.

The file is the user's: it is read and appended as bytes (any encoding, any line ending),
never decoded, never rewritten, never opened through a symbolic link.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from offload.errors import GitStateError

_SPECIAL = set("*?[\\")
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def ignore_pattern(repo_path: str) -> str:
    """An anchored .gitignore line that matches exactly ``repo_path``.

    Undecodable bytes (surrogate-escaped) stay the same bytes in the file; a control character
    cannot be written on a line, so ``?`` stands for it.
    """
    escaped = "".join(_escape(ch) for ch in repo_path)
    if escaped.startswith(("#", "!")):
        escaped = "\\" + escaped
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return "/" + escaped


def _escape(ch: str) -> str:
    if ch in _SPECIAL:
        return "\\" + ch
    if ch < " " or ch == "\x7f":
        return "?"
    return ch


def ensure_ignored(root: Path, repo_paths: Iterable[str]) -> list[str]:
    """Append anchored lines for ``repo_paths`` to ``root/.gitignore``; return the lines added."""
    gitignore = root / ".gitignore"
    existing = _read(gitignore)
    present = {line.rstrip(b"\r") for line in existing.split(b"\n")}
    added: list[bytes] = []
    for path in repo_paths:
        line = os.fsencode(ignore_pattern(path))
        if line not in present:
            present.add(line)
            added.append(line)
    if added:
        eol = b"\r\n" if b"\r\n" in existing else b"\n"
        prefix = b"" if not existing or existing.endswith(b"\n") else eol
        fd = os.open(gitignore, os.O_WRONLY | os.O_APPEND | os.O_CREAT | NOFOLLOW, 0o644)
        with os.fdopen(fd, "ab") as handle:
            handle.write(prefix + b"".join(line + eol for line in added))
    return [os.fsdecode(line) for line in added]


def _read(gitignore: Path) -> bytes:
    try:
        info = gitignore.lstat()
    except FileNotFoundError:
        return b""
    if not stat.S_ISREG(info.st_mode):
        raise GitStateError(
            f"{gitignore} is not a regular file (a symbolic link or a special file); offload "
            "never writes through it",
            "replace it with a regular .gitignore (git does not read a symlinked one either), "
            "then retry",
        )
    fd = os.open(gitignore, os.O_RDONLY | NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
