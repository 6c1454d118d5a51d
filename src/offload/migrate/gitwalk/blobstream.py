"""Streaming large blobs out of one ``git cat-file --batch`` process (never held in memory)."""

from __future__ import annotations

import hashlib
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024
Sink = Callable[[str, int], Callable[[bytes], object]]  # (oid, size) -> write(chunk)


def stream_blobs(cwd: Path, oids: Iterable[str], sink: Sink,
                 done: Callable[[str], None] | None = None) -> None:
    """Feed each blob's content, chunk by chunk, to the writer ``sink(oid, size)`` returns."""
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return
    # run_git buffers whole outputs; a 2 GiB object must stream, so this one call uses Popen.
    proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=cwd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:
        try:
            stdin.write("".join(o + "\n" for o in wanted).encode())
        finally:
            stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _ in wanted:
            _copy_one(proc.stdout, sink, done)
    finally:
        proc.stdout.close()
        writer.join()
        proc.wait()


def _copy_one(out: IO[bytes], sink: Sink, done: Callable[[str], None] | None) -> None:
    header = out.readline().decode("ascii", "replace").split()
    if len(header) < 3:
        return
    oid, size = header[0], int(header[2])
    write = sink(oid, size)
    left = size
    while left:
        chunk = out.read(min(CHUNK, left))
        if not chunk:
            raise OSError(f"git cat-file ended early while reading {oid}")
        write(chunk)
        left -= len(chunk)
    out.read(1)
    if done is not None:
        done(oid)


def hash_blobs(cwd: Path, oids: Iterable[str]) -> dict[str, str]:
    """sha256 of each blob's content, streamed."""
    digests: dict[str, hashlib._Hash] = {}

    def sink(oid: str, size: int) -> Callable[[bytes], object]:
        digests[oid] = hashlib.sha256()
        return digests[oid].update

    stream_blobs(cwd, oids, sink)
    return {oid: d.hexdigest() for oid, d in digests.items()}
