"""offload.lock: sorted JSON Lines, atomically replaced, writers serialised (SPEC §3)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offload.errors import ConfigError

MANIFEST_NAME = "offload.lock"
SOURCES = ("migrate", "put", "watch", "generate")


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str
    key: str
    url: str | None
    content_type: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "key": self.key,
            "url": self.url,
            "content_type": self.content_type,
            "source": self.source,
        }
        if self.meta:
            record["meta"] = dict(sorted(self.meta.items()))
        return record

    def to_line(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(", ", ": "))

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Entry:
        return cls(
            path=str(record["path"]),
            size=int(record["size"]),
            sha256=str(record["sha256"]),
            key=str(record["key"]),
            url=None if record.get("url") is None else str(record["url"]),
            content_type=str(record.get("content_type") or "application/octet-stream"),
            source=str(record.get("source") or "put"),
            meta=dict(record.get("meta") or {}),
        )


def parse_manifest(text: str, where: str = MANIFEST_NAME) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line must be a JSON object")
            entry = Entry.from_json(record)
        except (ValueError, KeyError, TypeError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ConfigError(
                f"{where} line {number} is not a valid manifest entry: {reason}",
                f"fix or delete line {number} of {where} (after a merge conflict, keep both "
                "sides' lines and remove the conflict markers)",
            ) from exc
        entries[entry.path] = entry
    return entries


def render_manifest(entries: Iterable[Entry]) -> str:
    ordered = sorted(entries, key=lambda e: e.path.encode("utf-8"))
    return "".join(e.to_line() + "\n" for e in ordered)


class Manifest:
    """The manifest file of one work tree."""

    def __init__(self, path: Path, lock_path: Path | None = None) -> None:
        self.path = path
        self.lock_path = lock_path or path.with_name(f".{path.name}.lock")

    def read(self) -> dict[str, Entry]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        return parse_manifest(text, str(self.path.name))

    def entries(self) -> list[Entry]:
        return sorted(self.read().values(), key=lambda e: e.path.encode("utf-8"))

    @contextmanager
    def editing(self) -> Iterator[dict[str, Entry]]:
        """Read-modify-write under an exclusive lock; the file is replaced atomically."""
        from filelock import FileLock

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.lock_path)):
            entries = self.read()
            yield entries
            self._write(entries.values())

    def upsert(self, new: Iterable[Entry]) -> None:
        with self.editing() as entries:
            for entry in new:
                entries[entry.path] = entry

    def remove(self, paths: Iterable[str]) -> None:
        with self.editing() as entries:
            for path in paths:
                entries.pop(path, None)

    def _write(self, entries: Iterable[Entry]) -> None:
        text = render_manifest(entries)
        fd, tmp = tempfile.mkstemp(prefix=".offload.lock.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
