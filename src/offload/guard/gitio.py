"""Run git without importing subprocess (which pulls in re, locale, threading, selectors).

Output goes to anonymous in-memory files, so a large stdin can never deadlock against a
full stdout pipe; where ``memfd_create`` is missing (macOS) we fall back to subprocess.
"""

from __future__ import annotations

import os


class GitFailed(Exception):
    def __init__(self, args: list[str], rc: int, stderr: bytes) -> None:
        detail = stderr.decode("utf-8", "replace").strip() or f"exit status {rc}"
        super().__init__(f"`git {' '.join(args)}` failed: {detail}")
        self.rc = rc
        self.stderr = stderr


def git(args: list[str], stdin: bytes | None = None, cwd: str | None = None,
        check: bool = True) -> tuple[int, bytes]:
    """``git args`` in ``cwd`` (default: the current directory); returns (rc, stdout)."""
    argv = ["git", *(["-C", cwd] if cwd else []), *args]
    if hasattr(os, "memfd_create"):
        rc, out, err = _spawn(argv, stdin)
    else:
        rc, out, err = _subprocess(argv, stdin)
    if check and rc != 0:
        raise GitFailed(args, rc, err)
    return rc, out


def _spawn(argv: list[str], stdin: bytes | None) -> tuple[int, bytes, bytes]:
    fds = [os.memfd_create(name, os.MFD_CLOEXEC) for name in ("in", "out", "err")]
    try:
        if stdin:
            _write_all(fds[0], stdin)
            os.lseek(fds[0], 0, os.SEEK_SET)
        actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(fds)]
        try:
            pid = os.posix_spawnp("git", argv, os.environ, file_actions=actions)
        except FileNotFoundError as exc:
            raise GitFailed(argv[1:], 127, b"git is not installed or not on PATH") from exc
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), _read_all(fds[1]), _read_all(fds[2])
    finally:
        for fd in fds:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_all(fd: int) -> bytes:
    size = os.lseek(fd, 0, os.SEEK_END)
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _subprocess(argv: list[str], stdin: bytes | None) -> tuple[int, bytes, bytes]:
    import subprocess

    try:
        proc = subprocess.run(argv, input=stdin or b"", capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitFailed(argv[1:], 127, b"git is not installed or not on PATH") from exc
    return proc.returncode, proc.stdout, proc.stderr
