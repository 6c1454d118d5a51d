"""Blobs written as one git pack whose deltas offload states itself, then indexed by git.

A blob that is its base plus a few changed lines (each commit's offload.lock of a large
migration: a line per asset, megabytes, a few lines new per commit) costs git a full
comparison with its base to find the delta (``fast-import`` and ``pack-objects`` both run
``diff_delta`` over the whole text). The caller knows the changes, so it states the delta as
copies from the base and inserted bytes, and a blob costs what changed. ``git index-pack``
checks the pack and names every blob; chains stop at ``MAX_DEPTH`` like git's own packs.

Format: gitformat-pack(5), version 2; deltas are OBJ_OFS_DELTA against an earlier object of
the same pack, in the delta format of gitformat-pack(5) "Deltified representation".
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from offload.errors import GitStateError

OBJ_BLOB = 3
OBJ_OFS_DELTA = 6
MAX_DEPTH = 50  # git's default pack.depth
MAX_COPY = 0x10000  # the largest copy git's own delta writer emits
MAX_INSERT = 0x7F
Op = tuple[int, int] | bytes  # (offset, length) copied from the base, or bytes inserted


@dataclass(frozen=True)
class PackedBlob:
    offset: int  # where its entry starts in the pack
    size: int  # bytes of the blob itself
    depth: int  # deltas between it and a whole blob


class PackWriter:
    """Write with ``whole`` / ``delta``, then ``finish`` for offset -> blob id."""

    def __init__(self, path: Path, level: int = 1) -> None:
        self.path = path
        self.level = level
        self.count = 0
        self._file: BinaryIO = open(path, "w+b")  # closed by finish or close
        self._file.write(b"PACK" + struct.pack(">II", 2, 0))  # the count is set by finish

    def whole(self, data: bytes) -> PackedBlob:
        offset = self._file.tell()
        self._file.write(_entry_header(OBJ_BLOB, len(data)) + zlib.compress(data, self.level))
        self.count += 1
        return PackedBlob(offset, len(data), 0)

    def delta(self, base: PackedBlob, ops: Iterable[Op], size: int) -> PackedBlob:
        """The blob of ``size`` bytes that ``ops`` make from ``base``."""
        delta = bytearray(_varint(base.size) + _varint(size))
        made = 0
        for op in ops:
            if isinstance(op, bytes):
                _insert(delta, op)
                made += len(op)
            else:
                start, length = op
                if start < 0 or start + length > base.size:
                    raise ValueError(f"copy {start}+{length} outside a base of {base.size}")
                _copy(delta, start, length)
                made += length
        if made != size:
            raise ValueError(f"delta makes {made} bytes, not {size}")
        offset = self._file.tell()
        self._file.write(_entry_header(OBJ_OFS_DELTA, len(delta)) + _distance(offset - base.offset)
                         + zlib.compress(bytes(delta), self.level))
        self.count += 1
        return PackedBlob(offset, size, base.depth + 1)

    def finish(self, cwd: Path) -> dict[int, str]:
        """Index the pack into the repository at ``cwd``; offset -> blob id of each entry."""
        handle = self._file
        handle.seek(8)
        handle.write(struct.pack(">I", self.count))
        handle.seek(0)
        digest = hashlib.sha1()
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
        handle.write(digest.digest())
        handle.flush()
        handle.seek(0)
        try:
            if not self.count:
                return {}
            return _index(cwd, handle)
        finally:
            self.close()

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


def _index(cwd: Path, pack: BinaryIO) -> dict[int, str]:
    from offload.git.pinned import pinned_args
    from offload.git.run import run_git

    done = subprocess.run(["git", *pinned_args(), "index-pack", "--stdin"], cwd=cwd, stdin=pack,
                          capture_output=True, check=False)
    answer = done.stdout.decode("ascii", "replace").split()
    if done.returncode != 0 or len(answer) != 2 or answer[0] != "pack":
        raise GitStateError(
            "git index-pack refused the offload.lock pack: "
            + done.stderr.decode("utf-8", "replace").strip()[-300:],
            "check free disk space and run `git fsck`, then rerun (the run continues where "
            "it stopped)")
    objects = run_git("rev-parse", "--git-path", "objects", cwd=cwd).stdout.decode().strip()
    idx = (cwd / objects / "pack" / f"pack-{answer[1]}.idx").read_bytes()
    listed = run_git("show-index", cwd=cwd, input=idx).stdout.decode("ascii").splitlines()
    found: dict[int, str] = {}
    for line in listed:
        offset, oid = line.split()[:2]
        found[int(offset)] = oid
    return found


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _entry_header(kind: int, size: int) -> bytes:
    out = bytearray()
    byte, size = (kind << 4) | (size & 0x0F), size >> 4
    while size:
        out.append(byte | 0x80)
        byte, size = size & 0x7F, size >> 7
    out.append(byte)
    return bytes(out)


def _distance(distance: int) -> bytes:
    """How far back the base is: big-endian groups of 7 bits, each but the last +1."""
    out = [distance & 0x7F]
    distance >>= 7
    while distance:
        distance -= 1
        out.append(0x80 | (distance & 0x7F))
        distance >>= 7
    return bytes(reversed(out))


def _insert(delta: bytearray, data: bytes) -> None:
    for start in range(0, len(data), MAX_INSERT):
        piece = data[start:start + MAX_INSERT]
        delta.append(len(piece))
        delta += piece


def _copy(delta: bytearray, start: int, length: int) -> None:
    while length:
        size = min(length, MAX_COPY)
        command, args = 0x80, bytearray()
        for i in range(4):
            byte = (start >> (8 * i)) & 0xFF
            if byte:
                command |= 1 << i
                args.append(byte)
        stated = 0 if size == 0x10000 else size  # a size of 0 means 0x10000
        for i in range(3):
            byte = (stated >> (8 * i)) & 0xFF
            if byte:
                command |= 0x10 << i
                args.append(byte)
        delta.append(command)
        delta += args
        start += size
        length -= size
