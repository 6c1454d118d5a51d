"""offload.lock: sorted JSON Lines, atomically replaced, writers serialised (SPEC §3)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offload.errors import ConfigError
from offload.safepaths import check_path, path_problem, shown

MANIFEST_NAME = "offload.lock"
SOURCES = ("migrate", "put", "watch", "generate")


class UnsafeEntryError(ValueError):
    """A line whose path offload must not write (outside the work tree, into .git, …)."""


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
    def from_json(cls, record: dict[str, Any], controls_ok: bool = False) -> Entry:
        """An entry from one parsed line; ValueError says what is wrong with it."""
        url, meta = record.get("url"), record.get("meta") or {}
        problem = path_problem(record["path"], controls_ok)
        if problem:
            raise UnsafeEntryError(f"unsafe path {shown(record['path'])}: {problem}")
        if url is not None and not isinstance(url, str):
            raise ValueError("`url` must be a string or null")
        if not isinstance(meta, dict):
            raise ValueError("`meta` must be an object")
        return cls(
            path=record["path"],
            size=_size(record["size"]),
            sha256=_text(record, "sha256"),
            key=_text(record, "key"),
            url=url,
            content_type=str(record.get("content_type") or "application/octet-stream"),
            source=str(record.get("source") or "put"),
            meta=dict(meta),
        )


def _size(value: object) -> int:
    if type(value) is not int or value < 0:  # bool is an int; 1e400 parses as inf
        raise ValueError(f"`size` must be a whole number of bytes, not {shown(value, 40)}")
    return value


def _text(record: dict[str, Any], name: str) -> str:
    value = record[name]
    if not isinstance(value, str) or not value:
        raise ValueError(f"`{name}` must be a non-empty string")
    return value


def file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0666 less the umask.

    mkstemp creates 0600; files offload writes for the user (offload.lock, pulled assets) must
    look like any other file of the work tree.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no /proc: read the umask by setting it, then put it back
    os.umask(mask)
    return 0o666 & ~mask


def parse_manifest(text: str, where: str = MANIFEST_NAME,
                   controls_ok: bool = False) -> dict[str, Entry]:
    """Entries by path; a ConfigError names the first bad line. ``controls_ok`` reads locks of
    history (which git lets name files with control characters) only to compare them."""
    entries: dict[str, Entry] = {}
    # split on "\n" only: paths may hold U+2028 and friends, which JSON leaves unescaped
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line must be a JSON object")
            entry = Entry.from_json(record, controls_ok)
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            how = ("offload writes only plain relative paths inside the work tree, never into "
                   ".git: check where the line came from, e.g. a merged branch"
                   if isinstance(exc, UnsafeEntryError) else "after a merge conflict, keep "
                   "both sides' lines and remove the conflict markers")
            raise ConfigError(f"{where} line {number} is not a valid manifest entry: {reason}",
                              f"fix or delete line {number} of {where} ({how})") from exc
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
        return parse_manifest(self.text(), self.path.name)

    def text(self) -> str:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return ""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            number = data.count(b"\n", 0, exc.start) + 1
            raise ConfigError(
                f"{self.path.name} line {number} is not UTF-8 text",
                f"fix line {number} of {self.path.name} (offload writes it as UTF-8; an editor "
                "or a merge tool may have re-encoded it)",
            ) from exc

    def line_of(self, path: str) -> int | None:
        """The line number of ``path``'s entry, for messages."""
        for number, line in enumerate(self.text().split("\n"), start=1):
            with suppress(ValueError, AttributeError, RecursionError):
                if json.loads(line).get("path") == path:
                    return number
        return None

    def where(self, path: str) -> str:
        """``offload.lock line N`` (or the entry's path when the line cannot be found)."""
        number = self.line_of(path)
        return f"{self.path.name} line {number}" if number else f"{self.path.name} entry"

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
                check_path(entry.path, f"cannot record it in {self.path.name}",
                           "rename the file: offload.lock holds plain relative paths")
                entries[entry.path] = entry

    def remove(self, paths: Iterable[str]) -> None:
        with self.editing() as entries:
            for path in paths:
                entries.pop(path, None)

    def _write(self, entries: Iterable[Entry]) -> None:
        text = render_manifest(entries)
        fd, tmp = tempfile.mkstemp(prefix=".offload.lock.", dir=self.path.parent)
        try:
            os.fchmod(fd, file_mode())
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
