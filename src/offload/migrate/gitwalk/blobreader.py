"""Blobs read one at a time, when a walk of history needs them, from one ``git cat-file
--batch`` process: memory holds the blobs of the tree being walked, not every version."""

from __future__ import annotations

from pathlib import Path

from offload.errors import GitStateError
from offload.migrate.gitwalk.gitpipe import GitPipe

# A reader lives as long as a walk of history: the pack pages it maps and the delta bases it
# keeps count in memory for all that time (git's defaults: 96 MiB of bases, 8 GiB mapped).
MAPPED_MIB = 128


class BlobReader(GitPipe):
    """``reader[oid]`` is the blob's content; use it as a context manager. ``mapped_mib``:
    how much pack it may keep mapped (a reader going through one pack in order needs little)."""

    def __init__(self, cwd: Path, mapped_mib: int = MAPPED_MIB) -> None:
        bounded = ("-c", "core.deltaBaseCacheLimit=32m",
                   "-c", f"core.packedGitLimit={mapped_mib}m",
                   "-c", f"core.packedGitWindowSize={min(32, mapped_mib // 4)}m")
        super().__init__(cwd, (*bounded, "cat-file", "--batch"))
        self.reads = 0

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
