"""Read every blob once, streamed from one ``git cat-file --batch``, in bounded memory.

For each blob: its size, its first bytes (for the binary and LFS checks) and its first
credential, whatever its size or content. Credentials are looked for in overlapping buffers so
a match across a chunk boundary is still seen; scanning a blob stops at its first finding.
"""

from __future__ import annotations

from offload.guard.gitio import GitFailed, GitStream
from offload.guard.rules import SNIFF_BYTES, is_lfs_pointer, sniff
from offload.guard.secrets import BACK, FORWARD, first_credential

CHUNK = 1 << 20
OVERLAP = 2 * (BACK + FORWARD)


class BlobFacts:
    """What the checks need of a blob, a few bytes each however many blobs a range holds."""

    __slots__ = ("binary", "credential", "lfs_pointer", "size")

    def __init__(self, size: int, head: bytes, credential: tuple[int, str] | None) -> None:
        self.size, self.credential = size, credential
        self.lfs_pointer = is_lfs_pointer(head, size)
        self.binary = sniff(head)


class CredentialScanner:
    """Feed a blob chunk by chunk; returns (line, kind) of the first credential once found."""

    def __init__(self) -> None:
        self.tail = b""
        self.line = 1
        self.at_start = True

    def feed(self, chunk: bytes, final: bool) -> tuple[int, str] | None:
        buffer = self.tail + chunk if self.tail else chunk
        hit = first_credential(buffer, self.at_start, final)
        if hit is not None:
            return self.line + buffer.count(b"\n", 0, hit[0]), hit[1]
        consumed = max(0, len(buffer) - OVERLAP)
        self.line += buffer.count(b"\n", 0, consumed)
        self.tail = buffer[consumed:]
        self.at_start = self.at_start and consumed == 0
        return None


def read_blobs(oids: list[bytes], cwd: str | None = None) -> dict[bytes, BlobFacts]:
    unique = sorted(set(oids))
    facts: dict[bytes, BlobFacts] = {}
    if not unique:
        return facts
    request = b"".join(oid + b"\n" for oid in unique)
    with GitStream(["cat-file", "--batch"], request, cwd) as out:
        for _ in unique:
            header = out.readline().split()
            if len(header) != 3:
                continue  # "<oid> missing"
            facts[header[0]] = _read_one(out, int(header[2]))
            out.read(1)  # the newline after each object
    return facts


def _read_one(out: GitStream, size: int) -> BlobFacts:
    scanner = CredentialScanner()
    head, left, found = b"", size, None
    if not size:
        return BlobFacts(0, b"", None)
    while left:
        chunk = out.read(min(CHUNK, left))
        if not chunk:
            raise GitFailed(["cat-file", "--batch"], 1, b"the object stream ended early")
        left -= len(chunk)
        if len(head) < SNIFF_BYTES:
            head += chunk[:SNIFF_BYTES - len(head)]
        if found is None:
            found = scanner.feed(chunk, final=not left)
    return BlobFacts(size, head, found)
