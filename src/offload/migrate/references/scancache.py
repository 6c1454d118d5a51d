"""The spans of each document version a plan parsed, kept for the run of the same clone.

Parsing is most of the work a migration does with documents (a pure-Python CommonMark parser
over every version of every document), and a run parses exactly what its plan parsed. A blob
id names the bytes and the span finder depends only on them, the kind of document and
offload's own version, so the run reads the spans back instead. The cache is offload's own
file under the git directory (nothing a merge or a document brings in writes it); a row that
does not read back as spans is parsed again, and ``offload migrate verify`` never uses it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from pathlib import Path

from offload.migrate.references.base import Span

SCHEMA = "CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans BLOB NOT NULL)"
BATCH = 256  # rows per transaction: another plan of the same repository is never held long


def cache_version() -> str:
    """Spans found by another offload or parser are never reused."""
    from importlib.metadata import version

    from offload import __version__

    return f"{__version__}/markdown-it-py {version('markdown-it-py')}"


class ScanCache:
    """``get`` / ``put`` spans by (document kind, blob id); ``close`` saves what was put."""

    def __init__(self, path: Path, timeout: float = 5) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (version TEXT NOT NULL)")
        found = self._db.execute("SELECT version FROM meta").fetchall()
        if found != [(cache_version(),)]:
            self._db.execute("DROP TABLE IF EXISTS spans")
            self._db.execute("DELETE FROM meta")
            self._db.execute("INSERT INTO meta VALUES (?)", (cache_version(),))
        self._db.execute(SCHEMA)
        self._db.commit()
        self._usable = True
        self._unsaved = 0
        self.hits = 0

    @classmethod
    def open(cls, git_common_dir: Path) -> ScanCache | None:
        """The cache of this clone, or None when it cannot be used (the run then parses)."""
        try:
            return cls(git_common_dir / "offload" / "cache" / "document-spans.sqlite")
        except (sqlite3.Error, OSError):
            return None

    def get(self, kind: str, blob: str) -> list[Span] | None:
        with self._lock:
            try:
                row = self._db.execute("SELECT spans FROM spans WHERE key = ?",
                                       (f"{kind}:{blob}",)).fetchone() if self._usable else None
            except sqlite3.Error:
                self._usable = False  # busy or damaged: parse instead, from now on
                return None
        if row is None:
            return None
        try:
            found = [Span(*fields) for fields in json.loads(zlib.decompress(row[0]))]
        except (ValueError, TypeError, zlib.error):
            return None
        self.hits += 1
        return found

    def has(self, kind: str, blob: str) -> bool:
        with self._lock:
            try:
                return self._usable and self._db.execute(
                    "SELECT 1 FROM spans WHERE key = ?", (f"{kind}:{blob}",)).fetchone() is not None
            except sqlite3.Error:
                self._usable = False
                return False

    def put(self, kind: str, blob: str, spans: list[Span]) -> None:
        self.put_packed(kind, blob, pack_spans(spans))

    def put_packed(self, kind: str, blob: str, packed: bytes) -> None:
        """Store spans packed by :func:`pack_spans` (in a worker process, say)."""
        with self._lock:
            if not self._usable:
                return
            try:
                self._db.execute("INSERT OR REPLACE INTO spans VALUES (?, ?)",
                                 (f"{kind}:{blob}", packed))
                self._unsaved += 1
                if self._unsaved >= BATCH:
                    self._db.commit()
                    self._unsaved = 0
            except sqlite3.Error:
                self._usable = False

    def close(self) -> None:
        with self._lock:
            try:
                if self._usable:
                    self._db.commit()
            except sqlite3.Error:
                pass  # a cache: what was not saved is parsed again
            finally:
                self._db.close()


def pack_spans(spans: list[Span]) -> bytes:
    rows = [[s.start, s.end, s.target, s.path, s.suffix, s.kind, s.context, s.data_value,
             s.note] for s in spans]
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), 1)
