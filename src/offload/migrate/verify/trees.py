"""What verify asks of the trees of a rewritten history: no LFS pointer and no migrated path
left in any commit (including commits added on a migrated branch after the run)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from offload.migrate.gitwalk.gitdata import GITLINK, SYMLINK, CommitChanges, batch_check, read_blobs
from offload.migrate.pointer import MAX_POINTER_SIZE, looks_like_pointer


def migrated_paths(data: dict[str, Any], missing: set[str]) -> tuple[set[str], set[str]]:
    """(paths whose versions all went to the store, pointer blobs left by --allow-missing)."""
    paths: set[str] = set()
    kept: set[str] = set()
    left: set[str] = set()
    for row in data["objects"]:
        names = {e["path"] for e in row["paths"]}
        if row["sha256"] in missing:
            kept |= names
            left.add(row["blob"])
        else:
            paths |= names
    return paths - kept, left


def tree_problems(cwd: Path, commits: Iterable[CommitChanges], selected: set[str],
                  paths: set[str], allowed: set[str]) -> list[str]:
    """A problem for every commit whose changes bring back a migrated blob, a migrated path or
    any LFS pointer (``allowed``: pointers of objects the run recorded as missing)."""
    problems: list[str] = []
    candidates: dict[str, list[tuple[str, str]]] = {}  # blob -> (commit, path) to look at
    for commit in commits:
        for ch in commit.changes:
            if ch.deleted or ch.mode == GITLINK:
                continue
            path = ch.path.decode("utf-8", "surrogateescape")
            where = f"{commit.commit[:12]}: {path}"
            if ch.blob in selected:
                problems.append(f"{where} still holds a migrated blob")
            elif path in paths and ch.mode != SYMLINK:
                problems.append(f"{where} is a migrated path, back in the tree")
            elif ch.blob not in allowed and ch.mode != SYMLINK:
                candidates.setdefault(ch.blob, []).append((commit.commit, path))
    sizes = batch_check(cwd, candidates)
    small = [b for b, (kind, size) in sizes.items() if kind == "blob" and size <= MAX_POINTER_SIZE]
    for blob, text in read_blobs(cwd, small).items():
        if looks_like_pointer(text):
            problems += [f"{c[:12]}: {p} is an LFS pointer" for c, p in candidates[blob]]
    return problems
