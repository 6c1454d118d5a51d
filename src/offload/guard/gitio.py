"""Run git without importing subprocess (which pulls in re, locale, threading, selectors).

Input and error output go through anonymous in-memory files, so a large stdin can never
deadlock against a full pipe; :class:`GitStream` reads stdout as git writes it (bounded
memory), :func:`git` collects it. Every call carries offload's pinned git settings.
"""

from __future__ import annotations

import os

from offload.git.pinned import pinned_args


class GitFailed(Exception):
    def __init__(self, args: list[str], rc: int, stderr: bytes) -> None:
        detail = stderr.decode("utf-8", "replace").strip() or f"exit status {rc}"
        super().__init__(f"`git {' '.join(args)}` failed: {detail}")
        self.rc = rc
        self.stderr = stderr


def git(args: list[str], stdin: bytes | None = None, cwd: str | None = None,
        check: bool = True) -> tuple[int, bytes]:
    """``git args`` in ``cwd`` (default: the current directory); returns (rc, stdout)."""
    with GitStream(args, stdin, cwd, check) as stream:
        out = stream.read()
    return stream.rc, out


class GitStream:
    """``git args`` whose stdout is read while it runs; ``with`` waits for git and checks it."""

    def __init__(self, args: list[str], stdin: bytes | None, cwd: str | None,
                 check: bool = True) -> None:
        self.args, self.check, self.rc, self.stderr = args, check, -1, b""
        argv = ["git", *(["-C", cwd] if cwd else []), *pinned_args(), *args]
        self._in, self._err = _anonymous_file("in"), _anonymous_file("err")
        if stdin:
            _write_all(self._in, stdin)
            os.lseek(self._in, 0, os.SEEK_SET)
        out_r, out_w = os.pipe()
        try:
            self._pid = _spawn(argv, self._in, out_w, self._err)
        except BaseException:
            for fd in (self._in, self._err, out_r):
                os.close(fd)
            raise
        finally:
            os.close(out_w)
        self._out = open(out_r, "rb", buffering=1 << 16)

    def read(self, size: int = -1) -> bytes:
        return self._out.read(size)

    def readline(self) -> bytes:
        return self._out.readline()

    def close(self) -> None:
        """Stop reading (git gets SIGPIPE if it had more), wait for it, keep rc and stderr."""
        self._out.close()
        _, status = os.waitpid(self._pid, 0)
        self.rc = os.waitstatus_to_exitcode(status)
        self.stderr = _read_all(self._err)
        os.close(self._in)
        os.close(self._err)

    def __enter__(self) -> GitStream:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.close()
        if kind is None and self.check and self.rc != 0:
            raise GitFailed(self.args, self.rc, self.stderr)


def _spawn(argv: list[str], stdin: int, stdout: int, stderr: int) -> int:
    actions = [(os.POSIX_SPAWN_DUP2, fd, target)
               for target, fd in enumerate((stdin, stdout, stderr))]
    try:
        return os.posix_spawnp("git", argv, os.environ, file_actions=actions)
    except FileNotFoundError as exc:
        raise GitFailed(argv[1:], 127, b"git is not installed or not on PATH") from exc


def _anonymous_file(name: str) -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create(name, os.MFD_CLOEXEC)
    import tempfile  # macOS: no memfd

    with tempfile.TemporaryFile() as handle:
        return os.dup(handle.fileno())


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
