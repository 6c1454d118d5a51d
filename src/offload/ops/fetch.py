"""Downloading manifest assets: get (to a folder) and pull (into the work tree)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from offload.errors import UsageError
from offload.manifest import Entry
from offload.progress import byte_progress
from offload.store.base import sha256_file
from offload.workspace import Workspace


def find_entry(ws: Workspace, target: str) -> Entry:
    """A manifest entry by repository path (from the cwd or the root) or by its URL."""
    entries = ws.manifest.read()
    if target in entries:
        return entries[target]
    if "://" in target:
        for entry in entries.values():
            if entry.url == target:
                return entry
        raise UsageError(f"no manifest entry has the URL {target}",
                         "run `offload ls` to see the recorded assets and their URLs")
    try:
        relative = ws.repo_path(Path(target))
    except UsageError:
        relative = target
    if relative in entries:
        return entries[relative]
    raise UsageError(f"{target} is not in offload.lock",
                     "run `offload ls` to see recorded paths, or `offload put` it first")


def get(ws: Workspace, targets: list[str], out_dir: Path | None) -> list[tuple[Entry, Path]]:
    chosen = [find_entry(ws, t) for t in targets]
    results: list[tuple[Entry, Path]] = []
    with byte_progress("downloading", sum(e.size for e in chosen)) as advance:
        for entry in chosen:
            dest = (out_dir / Path(entry.path).name) if out_dir else ws.root / entry.path
            ws.backend.get_file(entry.key, dest, entry.sha256, advance)
            results.append((entry, dest))
    return results


def pull(ws: Workspace, globs: list[str]) -> list[tuple[Entry, Path]]:
    """Materialise matching assets into the work tree; files already right are kept."""
    from offload.git.ignore import ensure_ignored

    wanted = [
        e for e in ws.manifest.entries()
        if not globs or any(fnmatch.fnmatch(e.path, g) for g in globs)
    ]
    todo = [e for e in wanted if not _is_current(ws.root / e.path, e)]
    ensure_ignored(ws.root, [e.path for e in wanted])
    results: list[tuple[Entry, Path]] = []
    with byte_progress("pulling", sum(e.size for e in todo)) as advance:
        for entry in todo:
            dest = ws.root / entry.path
            ws.backend.get_file(entry.key, dest, entry.sha256, advance)
            results.append((entry, dest))
    return results


def _is_current(path: Path, entry: Entry) -> bool:
    try:
        if path.stat().st_size != entry.size:
            return False
    except OSError:
        return False
    return sha256_file(path) == entry.sha256
