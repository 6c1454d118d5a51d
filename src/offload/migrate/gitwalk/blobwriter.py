"""Blobs written into the object database beside a running ``git fast-import``, by one
``git hash-object -w --stdin-paths`` process.

fast-import stores a blob as a delta of the blob written just before it in its stream. The
rewrite keeps that stream for offload.lock alone (a line per asset: megabytes in a large
repository), so each commit's lock is a small delta of the previous one, and writes the
rewritten documents here. git writes each object before it answers with its id, and
fast-import finds objects written while it runs, so a commit may name them at once.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from offload.errors import GitStateError
from offload.migrate.gitwalk.gitpipe import GitPipe


class BlobWriter(GitPipe):
    """``writer.write(data)`` stores a blob and returns its id; use it as a context manager."""

    def __init__(self, cwd: Path, scratch: Path) -> None:
        super().__init__(cwd, ("hash-object", "-w", "--no-filters", "--stdin-paths"))
        self.scratch = scratch  # a folder of offload's own, for the one file git reads
        self._folder: Path | None = None
        self.written = 0

    def write(self, data: bytes) -> str:
        proc = self._process()
        if self._folder is None:
            self.scratch.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="blobs-", dir=self.scratch))
        assert proc.stdin is not None and proc.stdout is not None
        # one file, rewritten for each blob: git has read it once it answers
        source = self._folder / "blob"
        source.write_bytes(data)
        try:
            proc.stdin.write(str(source).encode("utf-8", "surrogateescape") + b"\n")
            proc.stdin.flush()
            answer = proc.stdout.readline().strip()
        except (BrokenPipeError, ValueError) as exc:
            raise self._stopped() from exc
        if len(answer) not in (40, 64) or not all(c in b"0123456789abcdef" for c in answer):
            raise self._stopped()
        self.written += 1
        return answer.decode("ascii")

    def _stopped(self) -> GitStateError:
        return GitStateError("git hash-object stopped while writing a rewritten file",
                             "run `git fsck` in this repository and check free disk space, "
                             "then rerun (the run continues where it stopped)")

    def close(self) -> None:
        super().close()
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
