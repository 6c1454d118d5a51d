"""One walk over the history of some refs: which file versions the rebase rewrites (and into
what), and every line that still names the old base afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offload.config.model import Config
from offload.manifest import MANIFEST_NAME
from offload.migrate.gitwalk.gitdata import GITLINK, SYMLINK, batch_check, read_blobs, walk_history
from offload.migrate.recipe import matches
from offload.rebase.text import CONFIG_NAME, Bases, leftovers, rebase_file

MAX_TEXT = 1024 * 1024  # larger blobs of other files are media: not read for mentions
BATCH_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Globs:
    rewrite: tuple[str, ...]
    report: tuple[str, ...]

    @classmethod
    def from_recipe(cls, recipe: dict[str, Any], config: Config) -> Globs:
        refs = recipe.get("references") or {}
        return cls(tuple(refs.get("rewrite") or config.references.rewrite),
                   tuple(refs.get("report") or config.references.report))

    def kind(self, path: str) -> str:
        if path in (MANIFEST_NAME, CONFIG_NAME):
            return path
        return "doc" if matches(path, self.rewrite) else "other"

    def rebased(self, path: str, data: bytes, bases: Bases) -> bytes:
        return rebase_file(path, data, bases, self.kind(path) == "doc")


@dataclass
class Scan:
    """What a rebase changes, by (kind, blob): the new bytes are made again when written, so
    memory holds no file version (a migrated history has a large lock in every commit)."""

    rewritten: set[tuple[str, str]] = field(default_factory=set)  # (kind, blob)
    where: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # -> path, commit
    left: dict[tuple[str, int, str], str] = field(default_factory=dict)  # (file, line, text)
    versions: dict[str, int] = field(default_factory=dict)  # kind -> versions rewritten

    def leftover_rows(self) -> list[dict[str, Any]]:
        return [{"file": f, "line": n, "text": t, "commit": c}
                for (f, n, t), c in sorted(self.left.items())]


def scan_history(root: Path, revs: list[str], bases: Bases, globs: Globs) -> Scan:
    pairs: dict[tuple[str, str], str] = {}  # (path, blob) -> first commit naming it
    for commit in walk_history(root, revs):
        for change in commit.changes:
            if change.deleted or change.mode in (GITLINK, SYMLINK):
                continue
            path = change.path.decode("utf-8", "surrogateescape")
            pairs.setdefault((path, change.blob), commit.commit)
    return scan_pairs(root, pairs, bases, globs)


def scan_pairs(root: Path, pairs: dict[tuple[str, str], str], bases: Bases,
               globs: Globs) -> Scan:
    scan = Scan()
    by_blob: dict[str, list[tuple[str, str]]] = {}
    for (path, blob), commit in pairs.items():
        by_blob.setdefault(blob, []).append((path, commit))
    sizes = batch_check(root, by_blob)

    def readable(blob: str) -> bool:  # rewritable files at any size, others unless media
        size = sizes.get(blob, ("", None))[1]
        return size is not None and (size <= MAX_TEXT or any(
            globs.kind(path) != "other" for path, _commit in by_blob[blob]))

    # in the order history first names them, the order git reads fastest (read_blobs)
    for blob, data in _read_in_batches(root, [b for b in by_blob if readable(b)], sizes):
        if bases.old.encode("utf-8") not in data:
            continue
        for path, commit in by_blob[blob]:
            kind = globs.kind(path)
            new = globs.rebased(path, data, bases)
            if new != data and (kind, blob) not in scan.rewritten:
                scan.rewritten.add((kind, blob))
                scan.where[(kind, blob)] = (path, commit)
                scan.versions[kind] = scan.versions.get(kind, 0) + 1
            for number, text in leftovers(new, bases):
                scan.left.setdefault((path, number, text), commit)
    return scan


def _read_in_batches(root: Path, blobs: list[str], sizes: dict[str, tuple[str, int]]
                     ) -> Iterator[tuple[str, bytes]]:
    batch: list[str] = []
    total = 0
    for blob in [*blobs, None]:
        if blob is not None:
            batch.append(blob)
            total += sizes[blob][1]
        if batch and (blob is None or total >= BATCH_BYTES):
            yield from read_blobs(root, batch).items()
            batch, total = [], 0
