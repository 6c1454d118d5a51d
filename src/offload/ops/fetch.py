"""Downloading manifest assets: get (to a folder) and pull (into the work tree)."""

from __future__ import annotations

import fnmatch
import shlex
import stat
from pathlib import Path
from typing import NamedTuple

from offload.errors import ConfigError, FindingsError, UsageError
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


class Fetched(NamedTuple):
    entry: Entry
    dest: Path
    written: bool  # False: the file there already had the recorded content


def get(ws: Workspace, targets: list[str], out_dir: Path | None,
        force: bool = False) -> list[Fetched]:
    """Download each target. A file already there with the recorded content is kept; one with
    other content is replaced only with ``force``, else nothing at all is written."""
    chosen = [find_entry(ws, t) for t in targets]
    # every destination is checked before anything is written
    found = [(entry, _destination(ws, entry, out_dir, create=False)) for entry in chosen]
    current = {dest for entry, dest in found if _is_current(dest, entry)}
    if not force:
        again = [*targets, *(["-o", str(out_dir)] if out_dir is not None else [])]
        _refuse_replacing([e.path if out_dir is None else str(d) for e, d in found
                           if d not in current and _is_regular(d)], "get", again)
    todo = [entry for entry, dest in found if dest not in current]
    results: list[Fetched] = []
    with byte_progress("downloading", sum(e.size for e in todo), len(todo)) as advance:
        for entry, dest in found:
            if dest in current:
                results.append(Fetched(entry, dest, False))
                continue
            dest = _destination(ws, entry, out_dir, create=True)
            ws.backend.get_file(entry.key, dest, entry.sha256, advance)
            dest.chmod(file_mode())  # written through mkstemp (0600): give it the umask's mode
            advance.file_done()
            results.append(Fetched(entry, dest, True))
    return results


def pull(ws: Workspace, globs: list[str], force: bool = False, tally: Tally | None = None
         ) -> list[tuple[Entry, Path]]:
    """Materialise matching assets into the work tree; files already right are kept, files
    with other content are left (and listed, exit 1) unless ``force``. ``tally`` counts the
    files fetched, already present and left."""
    from offload.verbosity import detail

    counted = tally or Tally(FETCH)
    wanted = [
        e for e in ws.manifest.entries()
        if not globs or any(fnmatch.fnmatch(e.path, g) for g in globs)
    ]
    found = {e.path: _destination(ws, e, None, create=False) for e in wanted}
    todo = [e for e in wanted if not _is_current(found[e.path], e)]
    changed = [] if force else [e for e in todo if _is_regular(found[e.path])]
    left = {e.path for e in changed}
    todo = [e for e in todo if e.path not in left]
    fetching = {e.path for e in todo}
    for entry in wanted:
        if entry.path not in fetching and entry.path not in left:
            counted.add_present(entry.size)
    if changed:
        counted.skip("differs from offload.lock", len(changed))
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
    _refuse_replacing([e.path for e in changed], "pull", globs,
                      done=f"{counted.line('pull')}; ")
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


def _is_regular(path: Path) -> bool:
    """A regular file is there (a symlink is replaced, never followed, as before)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _refuse_replacing(names: list[str], command: str, args: list[str], done: str = "") -> None:
    """Files offload would replace whose content is not the recorded one (``names``): a local
    edit, or another version, is never overwritten silently."""
    if not names:
        return
    listed = ", ".join(names[:10]) + (f" … and {len(names) - 10} more" if len(names) > 10 else "")
    again = " ".join(["offload", command, *(shlex.quote(a) for a in args), "--force"])
    raise FindingsError(
        f"{done}{len(names)} file(s) already there differ from offload.lock and were left as "
        f"they are: {listed}",
        f"keep your version (`offload put PATH` records it), or `{again}` replaces it with the "
        "recorded one")


def _is_current(path: Path, entry: Entry) -> bool:
    """A regular file (not a symlink) with the entry's size and sha256."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != entry.size:
        return False
    return sha256_file(path) == entry.sha256
