"""Blobs written as one git pack whose deltas offload states itself, with its index.

A blob that is its base plus a few changed lines (each commit's offload.lock of a large
migration: a line per asset, megabytes, a few lines new per commit) costs git a full
comparison with its base to find the delta (``fast-import`` and ``pack-objects`` both run
``diff_delta`` over the whole text), and git's collision-detecting SHA-1 over every text
(``index-pack``: minutes for the tens of gigabytes of a large history's locks). The caller
knows the changes, so it states the delta as copies from the base and inserted bytes; the
blob ids are hashed here, beside the writing, and the index is written here too. Before the
pack is used, git reads back every blob no other is a delta of (so every delta is applied on
the way) and each must hash to its id. Chains stop at ``MAX_DEPTH`` like git's own packs.

Formats: gitformat-pack(5), pack version 2 with OBJ_OFS_DELTA entries against earlier entries
of the same pack ("Deltified representation"), and pack index version 2.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from offload.errors import GitStateError

OBJ_BLOB = 3
OBJ_OFS_DELTA = 6
MAX_DEPTH = 50  # git's default pack.depth
MAX_COPY = 0x10000  # the largest copy git's own delta writer emits
MAX_INSERT = 0x7F
HASHING_AHEAD = 2  # texts handed to the hashing thread and not hashed yet (megabytes each)
Op = tuple[int, int] | bytes  # (offset, length) copied from the base, or bytes inserted


@dataclass(frozen=True)
class PackedBlob:
    offset: int  # where its entry starts in the pack
    size: int  # bytes of the blob itself
    depth: int  # deltas between it and a whole blob


def blob_id(data: bytes) -> bytes:
    """The raw SHA-1 git names a blob of ``data`` by (OpenSSL's: hashlib releases the GIL)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.digest()


class PackWriter:
    """Write with ``whole`` / ``delta``, then ``finish`` for offset -> blob id."""

    def __init__(self, path: Path, level: int = 1) -> None:
        """``path``: a new file in the pack folder of the repository (``objects/pack``)."""
        self.path = path
        self.level = level
        self._file: BinaryIO = open(path, "w+b")  # closed by finish or close
        self._file.write(b"PACK" + struct.pack(">II", 2, 0))  # the count is set by finish
        self._entries: list[tuple[int, int, Future[bytes]]] = []  # offset, crc32, blob id
        self._bases: set[int] = set()
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: deque[Future[bytes]] = deque()

    def whole(self, data: bytes) -> PackedBlob:
        offset = self._entry(_entry_header(OBJ_BLOB, len(data)), data, data)
        return PackedBlob(offset, len(data), 0)

    def delta(self, base: PackedBlob, ops: Iterable[Op], text: bytes) -> PackedBlob:
        """The blob ``text``, stored as what ``ops`` make from ``base``."""
        delta = bytearray(_varint(base.size) + _varint(len(text)))
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
        if made != len(text):
            raise ValueError(f"delta makes {made} bytes, not {len(text)}")
        here = self._file.tell()
        head = _entry_header(OBJ_OFS_DELTA, len(delta)) + _distance(here - base.offset)
        self._bases.add(base.offset)
        offset = self._entry(head, bytes(delta), text)
        return PackedBlob(offset, len(text), base.depth + 1)

    def _entry(self, head: bytes, data: bytes, blob: bytes) -> int:
        offset = self._file.tell()
        packed = zlib.compress(data, self.level)
        self._file.write(head)
        self._file.write(packed)
        if len(self._pending) >= HASHING_AHEAD:  # memory: a few texts, not the history's
            self._pending.popleft().result()
        oid = self._pool.submit(blob_id, blob)
        self._pending.append(oid)
        self._entries.append((offset, zlib.crc32(packed, zlib.crc32(head)), oid))
        return offset

    def finish(self, cwd: Path) -> dict[int, str]:
        """Name the pack, write its index beside it and have git read it back (a pack that
        reads back wrong is removed); offset -> blob id of each entry."""
        try:
            if not self._entries:
                return {}
            named = [(oid.result(), crc, offset) for offset, crc, oid in self._entries]
            handle = self._file
            handle.seek(8)
            handle.write(struct.pack(">I", len(named)))
            handle.seek(0)
            digest = hashlib.sha1()
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            trailer = digest.digest()
            handle.write(trailer)
            handle.close()
            final = self.path.parent / f"pack-{trailer.hex()}"
            index = self.path.with_suffix(".idx")
            index.write_bytes(_index(named, trailer))
            for made in (self.path, index):
                made.chmod(0o444)  # as git leaves its packs
            os.replace(self.path, final.with_suffix(".pack"))
            os.replace(index, final.with_suffix(".idx"))  # git finds the pack by its index
            ids = {offset: oid.hex() for oid, _crc, offset in named}
            try:  # the blobs no other is a delta of: reading them applies every delta
                check_blobs(cwd, [oid for offset, oid in ids.items()
                                  if offset not in self._bases])
            except BaseException:
                final.with_suffix(".idx").unlink(missing_ok=True)
                final.with_suffix(".pack").unlink(missing_ok=True)
                raise
            return ids
        finally:
            self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._file.close()
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".idx").unlink(missing_ok=True)


def check_blobs(cwd: Path, oids: Iterable[str]) -> None:
    """git reads each blob back (applying its deltas) and it hashes to its id."""
    from offload.migrate.gitwalk.blobreader import BlobReader

    with BlobReader(cwd, mapped_mib=32) as reader:  # reads the pack front to back
        for oid in oids:
            try:
                data = reader[oid]
            except KeyError:
                data = b""  # git does not find it: as wrong as a blob that reads back wrong
            if blob_id(data).hex() != oid:
                raise GitStateError(
                    f"the offload.lock pack offload wrote reads back wrong at blob {oid}",
                    "run `git fsck`, and report this with `offload --version`; the refs "
                    "have not moved, so the repository is as it was")


def _index(named: list[tuple[bytes, int, int]], trailer: bytes) -> bytes:
    """Pack index version 2: fan-out, sorted ids, CRC32s, offsets, then the two checksums."""
    rows = sorted(named)
    fanout = [0] * 256
    for oid, _crc, _offset in rows:
        fanout[oid[0]] += 1
    total = 0
    for i in range(256):
        total += fanout[i]
        fanout[i] = total
    small: list[int] = []
    large: list[int] = []
    for _oid, _crc, offset in rows:
        if offset < 0x80000000:
            small.append(offset)
        else:
            small.append(0x80000000 | len(large))
            large.append(offset)
    out = bytearray(b"\xfftOc" + struct.pack(">I", 2) + struct.pack(">256I", *fanout))
    out += b"".join(oid for oid, _crc, _offset in rows)
    out += struct.pack(f">{len(rows)}I", *(crc for _oid, crc, _offset in rows))
    out += struct.pack(f">{len(small)}I", *small) + struct.pack(f">{len(large)}Q", *large)
    out += trailer
    return bytes(out + hashlib.sha1(out).digest())


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
