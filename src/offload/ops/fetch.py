"""Downloading manifest assets: get (to a folder) and pull (into the work tree)."""

from __future__ import annotations

import fnmatch
import stat
from pathlib import Path

from offload.errors import ConfigError, UsageError
from offload.manifest import Entry, file_mode
from offload.ops.tally import FETCH, Tally
from offload.progress import byte_progress
from offload.safepaths import UnsafeTarget, segment_problem, shown, tree_target
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
    for entry in chosen:  # every destination is checked before anything is written
        _destination(ws, entry, out_dir, create=False)
    results: list[tuple[Entry, Path]] = []
    with byte_progress("downloading", sum(e.size for e in chosen), len(chosen)) as advance:
        for entry in chosen:
            dest = _destination(ws, entry, out_dir, create=True)
            ws.backend.get_file(entry.key, dest, entry.sha256, advance)
            dest.chmod(file_mode())  # written through mkstemp (0600): give it the umask's mode
            advance.file_done()
            results.append((entry, dest))
    return results


def pull(ws: Workspace, globs: list[str], tally: Tally | None = None
         ) -> list[tuple[Entry, Path]]:
    """Materialise matching assets into the work tree; files already right are kept.

    ``tally`` counts the files fetched and those already present.
    """
    from offload.verbosity import detail

    counted = tally or Tally(FETCH)
    wanted = [
        e for e in ws.manifest.entries()
        if not globs or any(fnmatch.fnmatch(e.path, g) for g in globs)
    ]
    found = {e.path: _destination(ws, e, None, create=False) for e in wanted}
    todo = [e for e in wanted if not _is_current(found[e.path], e)]
    fetching = {e.path for e in todo}
    for entry in wanted:
        if entry.path not in fetching:
            counted.add_present(entry.size)
    _ignore(ws, [e.path for e in wanted])
    results: list[tuple[Entry, Path]] = []
    with byte_progress("pulling", sum(e.size for e in todo), len(todo)) as advance:
        for entry in todo:
            dest = _destination(ws, entry, None, create=True)
            ws.backend.get_file(entry.key, dest, entry.sha256, advance)
            dest.chmod(file_mode())  # written through mkstemp (0600): give it the umask's mode
            advance.file_done()
            counted.add_done(entry.size)
            detail(f"fetched {entry.path}")
            results.append((entry, dest))
    return results


def _ignore(ws: Workspace, paths: list[str]) -> None:
    """Ignore what pull writes: a folder of assets as one line, other assets one by one."""
    from collections import Counter

    from offload.git.ignore import ensure_ignored, ignore_pattern
    from offload.ops.ignorefolders import ignore_targets
    from offload.verbosity import note

    targets = ignore_targets(ws.root, paths, set(ws.manifest.read()))
    added = set(ensure_ignored(ws.root, list(dict.fromkeys(targets.values()))))
    covered = Counter(t for t in targets.values() if t.endswith("/"))
    for folder, count in sorted(covered.items()):
        if ignore_pattern(folder) in added:
            note(f"ignored {folder} in .gitignore ({count} file(s))")


def _destination(ws: Workspace, entry: Entry, out_dir: Path | None, create: bool) -> Path:
    """Where ``entry`` is written: its place in the work tree (never through a symlink that
    leaves it), or ``out_dir``/its file name."""
    try:
        if out_dir is None:
            return tree_target(ws.root, entry.path, create)
        name = entry.path.rsplit("/", 1)[-1]
        if problem := segment_problem(name):
            raise UnsafeTarget(problem)
        if create:
            out_dir.mkdir(parents=True, exist_ok=True)
        if (out_dir / name).is_dir() and not (out_dir / name).is_symlink():
            raise UnsafeTarget(f"{out_dir / name} is a folder")
        return out_dir / name
    except UnsafeTarget as exc:
        where = ws.manifest.where(entry.path)
        raise ConfigError(
            f"{where}: refusing to write {shown(entry.path)}: {exc}",
            f"correct or delete that line of {ws.manifest.path.name} (it may come from a merged "
            "branch); offload writes only inside the work tree, never into .git",
        ) from None


def _is_current(path: Path, entry: Entry) -> bool:
    """A regular file (not a symlink) with the entry's size and sha256."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != entry.size:
        return False
    return sha256_file(path) == entry.sha256
