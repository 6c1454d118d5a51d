"""The offload.lock blobs of a rewritten history, for verify: streamed out of git one at a
time and kept as tuples of shared entries (consecutive locks share almost every line, and
each distinct line is parsed once); only the last few are kept, so memory follows the assets,
not commits times assets."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Generic, TypeVar

from offload.manifest import Entry

KEPT = 8  # parsed locks kept; a large history has thousands of megabyte-sized locks


class LockIndex:
    def __init__(self) -> None:
        self.parsed: dict[str, Entry | None] = {}  # line -> entry (None: not a lock line)
        self.locks: Recent[str, tuple[Entry, ...]] = Recent(KEPT)  # read again when needed
        self.wanted: set[tuple[str, int, str]] = set()  # (key, size, sha256) of every lock
        self._last: tuple[str, dict[str, Entry], set[str]] | None = None

    def load(self, cwd: Path, oids: Iterable[str]) -> None:
        from offload.migrate.gitwalk.blobstream import stream_blobs

        chunks: dict[str, list[bytes]] = {}

        def sink(oid: str, _size: int) -> Callable[[bytes], object]:
            chunks[oid] = []
            return chunks[oid].append

        def done(oid: str) -> None:
            self.add(oid, b"".join(chunks.pop(oid)))

        stream_blobs(cwd, oids, sink, done)  # in the order given, as read_blobs

    def add(self, oid: str, text: bytes) -> None:
        if not text.startswith(b"{"):
            return
        try:
            lines = text.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            return
        entries: dict[str, Entry] = {}
        for line in lines:
            if not line.strip():
                continue
            entry = self.parsed[line] if line in self.parsed else self._parse(line)
            if entry is None:
                return  # a document that starts with "{" is not a lock
            entries[entry.path] = entry
        self.locks.put(oid, tuple(entries.values()))
        self.wanted.update((e.key, e.size, e.sha256) for e in entries.values())

    def _parse(self, line: str) -> Entry | None:
        from offload.manifest import parse_manifest

        try:
            found: Entry | None = next(iter(parse_manifest(line, controls_ok=True).values()))
        except Exception:
            found = None
        self.parsed[line] = found
        return found

    def lock(self, oid: str, reader: Mapping[str, bytes] | None = None
             ) -> tuple[dict[str, Entry], set[str]]:
        """path -> entry and the set of URLs of one lock (the last one asked is kept);
        ``reader`` reads a lock no longer kept."""
        if self._last is None or self._last[0] != oid:
            if oid and oid not in self.locks and reader is not None:
                self.add(oid, reader[oid])
            entries = {e.path: e for e in self.locks.get(oid) or ()}
            self._last = (oid, entries, {e.url for e in entries.values() if e.url})
        return self._last[1], self._last[2]


K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A dict of the last ``size`` entries put or read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: K) -> bool:
        return key in self.items

    def get(self, key: K) -> V | None:
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        if len(self.items) > self.size:
            self.items.popitem(last=False)
