"""Blobs read one at a time, when a walk of history needs them, from one ``git cat-file
--batch`` process: memory holds the blobs of the tree being walked, not every version."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import TracebackType

from offload.errors import GitStateError

# A reader lives as long as a walk of history: the pack pages it maps and the delta bases it
# keeps count in memory for all that time (git's defaults: 96 MiB of bases, 8 GiB mapped).
BOUNDED = ("-c", "core.deltaBaseCacheLimit=32m", "-c", "core.packedGitLimit=128m",
           "-c", "core.packedGitWindowSize=32m")


class BlobReader:
    """``reader[oid]`` is the blob's content; use it as a context manager."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._proc: subprocess.Popen[bytes] | None = None
        self.reads = 0

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            from offload.git.pinned import pinned_args

            self._proc = subprocess.Popen(["git", *pinned_args(), *BOUNDED, "cat-file", "--batch"],
                                          cwd=self.cwd, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE)
        return self._proc

    def __getitem__(self, oid: str) -> bytes:
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(oid.encode("ascii") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                raise KeyError(oid)
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)
        except (BrokenPipeError, ValueError) as exc:
            raise GitStateError(f"git cat-file stopped while reading {oid}",
                                "run `git fsck` in this repository, then retry") from exc
        if len(data) != size:
            raise GitStateError(f"git cat-file ended early while reading {oid}",
                                "run `git fsck` in this repository, then retry")
        self.reads += 1
        return data

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        proc.stdout.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
