"""The durable upload queue: one SQLite database per worktree, under its git dir.

States: pending -> uploading -> done | failed. A row is written (and committed) before the
remote call. ``gen`` grows each time a file is queued again, so an upload that finishes for an
older version never marks the newer one done.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from offload.errors import ExitCode, OffloadError

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, state TEXT NOT NULL, gen INTEGER NOT NULL DEFAULT 0,
    size INTEGER, mtime_ns INTEGER, key TEXT, url TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0, error TEXT, retryable INTEGER NOT NULL DEFAULT 1,
    queued_at REAL, done_at REAL);
CREATE INDEX IF NOT EXISTS files_state ON files (state, next_at);
"""


class QueueError(OffloadError):
    """The queue database cannot be written (disk full, read-only, damaged)."""

    exit_code = ExitCode.CONFIG


class Queue:
    def __init__(self, path: Path, max_kb: int | None = None, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=5, isolation_level=None)
            # WAL + NORMAL survives a killed process; after a power loss the start-up rescan
            # finds any file whose last transition was lost.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if max_kb:
                page = int(self.db.execute("PRAGMA page_size").fetchone()[0])
                self.db.execute(f"PRAGMA max_page_count={max(4, max_kb * 1024 // page)}")
            self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise _queue_error(path, exc) from exc

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _queue_error(self.path, exc) from exc

    def close(self) -> None:
        self.db.close()

    def recover(self) -> int:
        """On start: unfinished rows (interrupted uploads, waiting retries) are due now."""
        with self._tx() as db:
            cur = db.execute("UPDATE files SET state='pending', next_at=0 WHERE state='uploading' "
                             "OR (state='failed' AND retryable=1)")
            return cur.rowcount

    def enqueue(self, paths: Iterable[str]) -> None:
        now = time.time()
        with self._tx() as db:
            db.executemany(
                "INSERT INTO files (path, state, gen, queued_at) VALUES (?, 'pending', 1, ?) "
                "ON CONFLICT (path) DO UPDATE SET state='pending', gen=gen+1, attempts=0, "
                "next_at=0, error=NULL, retryable=1, queued_at=excluded.queued_at",
                [(p, now) for p in paths])

    def claim(self, limit: int, exclude: set[str]) -> list[tuple[str, int]]:
        now = time.time()
        with self._tx() as db:
            rows = db.execute(
                "SELECT path, gen FROM files WHERE state='pending' OR (state='failed' AND "
                "retryable=1 AND next_at<=?) ORDER BY next_at, queued_at LIMIT ?",
                (now, limit + len(exclude))).fetchall()
            chosen = [(str(p), int(g)) for p, g in rows if p not in exclude][:limit]
            db.executemany("UPDATE files SET state='uploading' WHERE path=? AND gen=?", chosen)
        return chosen

    def mark_done(self, items: Iterable[tuple[str, int, int, int, str, str | None]]) -> None:
        """(path, gen, size, mtime_ns, key, url); a row queued again meanwhile stays pending."""
        now = time.time()
        with self._tx() as db:
            db.executemany(
                "UPDATE files SET state='done', size=?, mtime_ns=?, key=?, url=?, error=NULL, "
                "done_at=? WHERE path=? AND gen=?",
                [(s, m, k, u, now, p, g) for p, g, s, m, k, u in items])

    def mark_failed(self, path: str, gen: int, error: str, retryable: bool, delay: float) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE files SET state='failed', attempts=attempts+1, error=?, retryable=?, "
                "next_at=? WHERE path=? AND gen=?",
                (error, int(retryable), time.time() + delay, path, gen))

    def requeue(self, path: str, gen: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE files SET state='pending' WHERE path=? AND gen=?", (path, gen))

    def drop(self, path: str, gen: int) -> None:
        """The file is gone: forget its unfinished row (finished rows stay as history)."""
        with self._tx() as db:
            db.execute("DELETE FROM files WHERE path=? AND gen=? AND state!='done'", (path, gen))

    def retry_now(self) -> None:
        with self._tx() as db:
            db.execute("UPDATE files SET next_at=0 WHERE state='failed' AND retryable=1")

    def outstanding(self) -> list[str]:
        rows = self.db.execute("SELECT path FROM files WHERE state IN ('pending', 'uploading') "
                               "OR (state='failed' AND retryable=1)")
        return [str(r[0]) for r in rows]

    def attempts(self, path: str) -> int:
        row = self.db.execute("SELECT attempts FROM files WHERE path=?", (path,)).fetchone()
        return int(row[0]) if row else 0

    def next_retry(self) -> float | None:
        row = self.db.execute("SELECT MIN(next_at) FROM files WHERE state='failed' AND "
                              "retryable=1").fetchone()
        return None if row[0] is None else float(row[0])

    def known(self) -> dict[str, tuple[str, int | None, int | None, int]]:
        """path -> (state, size, mtime_ns, retryable) for the rescan."""
        rows = self.db.execute("SELECT path, state, size, mtime_ns, retryable FROM files")
        return {str(p): (str(s), sz, m, int(r)) for p, s, sz, m, r in rows}

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT state, retryable, COUNT(*) FROM files GROUP BY 1, 2")
        out = {"pending": 0, "uploading": 0, "done": 0, "retrying": 0, "failed": 0}
        for state, retryable, n in rows:
            name = ("retrying" if retryable else "failed") if state == "failed" else str(state)
            out[name] = out.get(name, 0) + int(n)
        return out

    def failures(self, limit: int = 50) -> list[dict[str, object]]:
        rows = self.db.execute(
            "SELECT path, error, attempts, retryable, next_at FROM files WHERE state='failed' "
            "ORDER BY path LIMIT ?", (limit,))
        return [{"path": p, "error": e, "attempts": a, "will_retry": bool(r), "next_retry": n}
                for p, e, a, r, n in rows]

    def last_upload(self) -> dict[str, object] | None:
        row = self.db.execute("SELECT path, url, key, done_at FROM files WHERE state='done' "
                              "ORDER BY done_at DESC LIMIT 1").fetchone()
        return None if row is None else dict(zip(("path", "url", "key", "at"), row, strict=True))


def _queue_error(path: Path, exc: BaseException) -> QueueError:
    text = str(exc)
    if "full" in text.lower() or getattr(exc, "errno", None) == 28:
        next_step = (f"free space where {path.parent} lives (or raise watch.queue_max_kb), then "
                     "start `offload watch` again: queued rows are kept and the start-up rescan "
                     "finds every file that was not queued yet")
    else:
        next_step = (f"make {path} writable (or delete it to start a fresh queue; the start-up "
                     "rescan re-queues every file not yet uploaded), then start `offload watch`")
    return QueueError(f"the watch queue {path} cannot be written: {text}", next_step)
