"""Git LFS pointer files (spec v1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_POINTER_SIZE = 1024
_VERSION = b"version https://git-lfs.github.com/spec/v1\n"
_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.M)
_SIZE = re.compile(rb"^size (\d+)$", re.M)


@dataclass(frozen=True)
class Pointer:
    oid: str
    size: int


class CorruptPointer(ValueError):
    """Looks like an LFS pointer (version line) but cannot be read."""


def looks_like_pointer(data: bytes) -> bool:
    return len(data) <= MAX_POINTER_SIZE and data.startswith(b"version https://git-lfs")


def parse_pointer(data: bytes) -> Pointer | None:
    """The pointer in ``data``; None when it is not a pointer; CorruptPointer when damaged."""
    if not looks_like_pointer(data):
        return None
    if not data.startswith(_VERSION):
        raise CorruptPointer("unknown pointer version line")
    oid = _OID.search(data)
    size = _SIZE.search(data)
    if oid is None:
        raise CorruptPointer("no valid `oid sha256:<64 hex>` line")
    if size is None:
        raise CorruptPointer("no valid `size <bytes>` line")
    return Pointer(oid.group(1).decode("ascii"), int(size.group(1)))
