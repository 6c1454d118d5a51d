"""Every rewritten commit's offload.lock, written before the rewrite as one pack of deltas.

A commit's lock is its first parent's plus the lines of the assets the commit changes, so it
is stored as a delta of the parent's lock: copies of the unchanged runs, the changed lines
inserted. A commit then costs what it changed, not a line per asset (a large history's locks
add up to tens of gigabytes of text that git would otherwise compare whole, commit by commit).
The commits name the blobs by id; `offload migrate verify` reads them like any other.

A commit whose tree still holds an offload.lock of its own gets that lock merged with its
assets' lines, written whole (a history made with offload before is rare and short).
"""

from __future__ import annotations

import bisect
import tempfile
from collections.abc import Callable
from pathlib import Path

from offload.migrate.gitwalk.blobreader import BlobReader
from offload.migrate.gitwalk.gitdata import GITLINK, CommitChanges
from offload.migrate.gitwalk.packwriter import MAX_DEPTH, Op, PackedBlob, PackWriter
from offload.migrate.gitwalk.walk import first_parent_counts, walk_commits
from offload.migrate.history.locktext import LockBuilder
from offload.migrate.inventory import Asset, decode_path

LOCK = "offload.lock"


class LockState:
    """The lock lines of one commit, sorted, and the packed blob that holds exactly them."""

    def __init__(self) -> None:
        self.lines: dict[str, bytes] = {}
        self.order: list[str] = []  # the keys of ``lines``, sorted
        self.values: list[bytes] = []  # the lines, in ``order`` (joined without a lookup each)
        self.lengths: list[int] = []  # byte length of each line, in ``order``
        self.size = 0
        self.packed: PackedBlob | None = None  # None: not written as exactly these lines
        self.original: str | None = None  # the commit's own offload.lock blob

    def copy(self) -> LockState:
        new = LockState()
        new.lines, new.order = dict(self.lines), list(self.order)
        new.values, new.lengths = list(self.values), list(self.lengths)
        new.size, new.packed, new.original = self.size, self.packed, self.original
        return new

    def close(self) -> None:
        pass

    def delta_ops(self, changes: list[tuple[str, bytes | None]]) -> list[Op]:
        """How this state's text becomes the one with ``changes`` (sorted by path) applied."""
        ops: list[Op] = []
        cursor = done = 0  # bytes of this text used; lines passed
        for path, new in changes:
            at = bisect.bisect_left(self.order, path)
            upto = cursor + sum(self.lengths[done:at])
            if upto > cursor:
                ops.append((cursor, upto - cursor))
            cursor, done = upto, at
            if at < len(self.order) and self.order[at] == path:  # the old line is left out
                cursor, done = cursor + self.lengths[at], at + 1
            if new is not None:
                ops.append(new)
        if cursor < self.size:
            ops.append((cursor, self.size - cursor))
        return ops

    def apply(self, changes: list[tuple[str, bytes | None]]) -> None:
        for path, new in changes:
            at = bisect.bisect_left(self.order, path)
            present = at < len(self.order) and self.order[at] == path
            if present:
                self.size -= self.lengths[at]
                if new is None:
                    del self.order[at], self.values[at], self.lengths[at], self.lines[path]
                    continue
                self.values[at], self.lengths[at] = new, len(new)
            elif new is None:
                continue
            else:
                self.order.insert(at, path)
                self.values.insert(at, new)
                self.lengths.insert(at, len(new))
            self.lines[path] = new
            self.size += len(new)

    def text(self) -> bytes:
        return b"".join(self.values)


def pack_locks(root: Path, commits: list[CommitChanges], assets: dict[str, Asset],
               lock: LockBuilder, reader: BlobReader, advance: Callable[[int], object]
               ) -> dict[str, str | None]:
    """Original commit id -> its new offload.lock blob id (None: the commit has no lock), for
    every commit whose lock differs from its first parent's or that changes its own lock."""
    from offload.git.run import run_git

    objects = run_git("rev-parse", "--git-path", "objects", cwd=root).stdout.decode().strip()
    # git's own name for a pack being written: `git gc` removes one left by a crash
    with tempfile.NamedTemporaryFile(prefix="tmp_pack_offload_", dir=root / objects / "pack",
                                     delete=False) as handle:
        writer = PackWriter(Path(handle.name))
    written: dict[str, PackedBlob | None] = {}
    try:
        for commit, state in walk_commits(commits, first_parent_counts(commits), LockState):
            advance(1)
            changes, touched = _changes(commit, state, assets, lock)
            if changes or touched:
                written[commit.commit] = _write(writer, state, changes, lock, reader)
        ids = writer.finish(root)
    finally:
        writer.close()
    return {c: None if p is None else ids[p.offset] for c, p in written.items()}


def _changes(commit: CommitChanges, state: LockState, assets: dict[str, Asset],
             lock: LockBuilder) -> tuple[list[tuple[str, bytes | None]], bool]:
    """The lines the commit changes (path, new line or None), sorted; whether it changes its
    own offload.lock. The rules are the rewrite's: an asset blob wins over the lock path."""
    new: dict[str, bytes | None] = {}
    touched = False
    for ch in commit.changes:
        path = decode_path(ch.path)
        blob = None if ch.deleted or ch.mode == GITLINK else ch.blob
        if blob is not None and blob in assets:
            new[path] = lock.line(path, blob).encode("utf-8")
            continue
        if path in state.lines:
            new[path] = None
        if path == LOCK:
            state.original = blob
            touched = True
    changes = sorted((p, line) for p, line in new.items() if state.lines.get(p) != line)
    return changes, touched


def _write(writer: PackWriter, state: LockState, changes: list[tuple[str, bytes | None]],
           lock: LockBuilder, reader: BlobReader) -> PackedBlob | None:
    base = state.packed
    chained = base is not None and base.depth < MAX_DEPTH and state.original is None
    ops = state.delta_ops(changes) if chained else None
    state.apply(changes)
    if state.original is not None:
        present = {p: line.decode("utf-8") for p, line in state.lines.items()}
        merged = lock.text(present, reader[state.original])
        state.packed = None  # its text is not the lines alone: the next lock is written whole
        return None if merged is None else writer.whole(merged)
    if not state.lines:
        state.packed = None
        return None
    if base is not None and ops is not None:
        state.packed = writer.delta(base, ops, state.text())
    else:
        state.packed = writer.whole(state.text())
    return state.packed
