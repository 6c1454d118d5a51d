"""Upload files of the work tree, record them in the manifest, optionally untrack them."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import posixpath
import stat
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offload.errors import ExitCode, IntegrityError, OffloadError
from offload.keys import is_content_addressed, render_key
from offload.manifest import Entry
from offload.ops.tally import Tally
from offload.ops.workfiles import (
    OnSkip,
    expand_paths,
    open_regular,
    print_skip,
    require_utf8_name,
    skip_label,
)
from offload.progress import byte_progress
from offload.store.base import PutRequest
from offload.workspace import Workspace


@dataclass(frozen=True)
class FileFacts:
    path: str  # repository path, posix
    absolute: Path
    size: int
    mtime_ns: int
    sha256: str
    inode: int = 0  # 0: not known (files offload wrote itself)


def content_type_for(path: str) -> str:
    guessed, _ = mimetypes.guess_type(path, strict=False)
    return guessed or "application/octet-stream"


def describe(ws: Workspace, path: Path) -> FileFacts:
    """Size, mtime and sha256 of a regular file, read without following a symlink."""
    require_utf8_name(path)
    repo_path = ws.repo_path(path)
    absolute = ws.root / repo_path  # parents resolved: only the file itself can be a link
    with os.fdopen(open_regular(absolute), "rb") as handle:
        before = os.fstat(handle.fileno())
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return FileFacts(repo_path, absolute, before.st_size, before.st_mtime_ns, digest,
                     before.st_ino)


def entry_for(ws: Workspace, facts: FileFacts, source: str,
              meta: Mapping[str, Any] | None = None) -> Entry:
    key = render_key(ws.config.key_template, facts.path, facts.sha256, facts.size)
    return Entry(
        path=facts.path, size=facts.size, sha256=facts.sha256, key=key,
        url=ws.url_for(key), content_type=content_type_for(facts.path), source=source,
        meta=dict(meta or {}),
    )


def upload_entries(ws: Workspace, items: list[tuple[FileFacts, Entry]], jobs: int = 8,
                   tally: Tally | None = None) -> None:
    """Send what the store lacks; objects already there with the same size and sha256 stay."""
    changed = send_entries(ws, items, jobs, tally)
    if changed:
        names = ", ".join(f.path for f in changed)
        raise IntegrityError(
            f"changed or vanished while uploading: {names}",
            "wait until whatever writes those files has finished, then run the same command "
            "again (nothing was recorded for them)",
        )


def send_entries(ws: Workspace, items: list[tuple[FileFacts, Entry]],
                 jobs: int = 8, tally: Tally | None = None) -> list[FileFacts]:
    """:func:`upload_entries` without raising: return the files that changed while sent.

    Their objects are deleted again, unless an unchanged file of ``items`` uses the same key.
    ``tally`` counts the files sent and those the store already held.
    """
    backend = ws.backend
    absent = absent_in_store(ws, [e for _, e in items], jobs)
    needed = [item for item, lacking in zip(items, absent, strict=True) if lacking]
    immutable = is_content_addressed(ws.config.key_template)
    requests = [
        PutRequest(key=e.key, path=f.absolute, sha256=f.sha256, content_type=e.content_type,
                   metadata={"sha256": f.sha256}, immutable=immutable)
        for f, e in needed
    ]
    with byte_progress("uploading", sum(f.size for f, _ in needed), len(needed)) as advance:
        backend.put_files(requests, advance, jobs=jobs)
    changed = [f for f, _ in needed if _changed(f)]
    if tally is not None:
        _count(tally, items, absent, {f.path for f in changed})
    gone = {f.path for f in changed}
    kept = {e.key for f, e in items if f.path not in gone}
    for facts in changed:
        key = render_key(ws.config.key_template, facts.path, facts.sha256, facts.size)
        if key not in kept:
            backend.delete(key)
    return changed


def _count(tally: Tally, items: list[tuple[FileFacts, Entry]], absent: list[bool],
           changed: set[str]) -> None:
    from offload.verbosity import detail

    for (facts, entry), lacking in zip(items, absent, strict=True):
        if facts.path in changed:
            continue
        if lacking:
            tally.add_done(facts.size)
            detail(f"uploaded {facts.path} -> {entry.url or entry.key}")
        else:
            tally.add_present(facts.size)
            detail(f"already stored {facts.path}")


def absent_in_store(ws: Workspace, entries: list[Entry], jobs: int) -> list[bool]:
    """For each entry: True when the store lacks its object with that size and sha256."""
    listed = _listed_sizes(ws, [e.key for e in entries])

    def missing(entry: Entry) -> bool:
        if listed is not None and listed.get(entry.key) != entry.size:
            return True
        info = ws.backend.head(entry.key)
        return info is None or info.size != entry.size or info.sha256 != entry.sha256

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(missing, entries))


def _listed_sizes(ws: Workspace, keys: list[str]) -> dict[str, int] | None:
    """One listing instead of a HEAD per key, when keys are content-addressed and many.

    A key absent from the listing needs no HEAD; one present is still HEADed for its sha256.
    None (HEAD everything) for the local store, few keys, or a prefix much larger than ``keys``.
    """
    if len(keys) < 16 or "{sha256" not in ws.config.key_template:
        return None
    if not ws.backend.listing_beats_head:
        return None
    prefix = posixpath.commonpath([key.rpartition("/")[0] for key in keys])
    sizes: dict[str, int] = {}
    for info in ws.backend.iter_objects(f"{prefix}/" if prefix else ""):
        sizes[info.key] = info.size
        if len(sizes) > 4 * len(keys) + 1000:
            return None
    return sizes


def put_paths(ws: Workspace, paths: Iterable[Path], source: str = "put", jobs: int = 8,
              meta: Mapping[str, Any] | None = None, on_skip: OnSkip = print_skip,
              tally: Tally | None = None) -> list[Entry]:
    """Upload ``paths`` (files and folders), record them; ``tally`` counts what happened."""
    counted = tally or Tally()

    def skipped(path: Path, why: str) -> None:
        counted.skip(skip_label(why))
        on_skip(path, why)

    files = expand_paths(paths, skipped)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, 4))) as pool:
        facts = list(pool.map(lambda p: describe(ws, p), files))
    items = [(f, entry_for(ws, f, source, meta)) for f in facts]
    try:
        upload_entries(ws, items, jobs, counted)
    except IntegrityError:
        good = [e for f, e in items if not _changed(f)]
        ws.manifest.upsert(good)
        raise
    except KeyboardInterrupt:
        raise _record_finished(ws, items, jobs) from None
    entries = [e for _, e in items]
    ws.manifest.upsert(entries)
    return entries


class PutInterrupted(OffloadError):
    exit_code = ExitCode.INTERRUPTED


def _record_finished(ws: Workspace, items: list[tuple[FileFacts, Entry]],
                     jobs: int) -> PutInterrupted:
    """After Ctrl-C: record every file whose object the store now holds (asked again, so an
    upload cut half-way is not recorded), then say how to finish."""
    import shlex
    import sys

    unchanged = [e for f, e in items if not _changed(f)]
    try:
        absent = absent_in_store(ws, unchanged, jobs)
    except OffloadError:  # the store stopped answering: record nothing rather than guess
        absent = [True] * len(unchanged)
    stored = [e for e, lacking in zip(unchanged, absent, strict=True) if not lacking]
    if stored:  # nothing finished: leave offload.lock as it was (absent stays absent)
        ws.manifest.upsert(stored)
    again = shlex.join(["offload", *sys.argv[1:]]) if sys.argv[1:2] == ["put"] else \
        "offload put PATH…"
    return PutInterrupted(
        f"interrupted: {len(stored)} of {len(items)} file(s) are in the store and recorded in "
        f"{ws.manifest.path.name}; {len(items) - len(stored)} not uploaded",
        f"rerun `{again}`: files already in the store are not sent again",
    )


def untrack(ws: Workspace, repo_paths: list[str]) -> None:
    """Remove from the index (the files stay on disk) and ignore them."""
    from offload.git.ignore import ensure_ignored
    from offload.git.run import run_git

    if repo_paths:
        run_git("rm", "--cached", "-q", "--ignore-unmatch", "--", *repo_paths, cwd=ws.root)
        ensure_ignored(ws.root, repo_paths)


def _changed(facts: FileFacts) -> bool:
    """Changed, gone, or replaced (by a symlink or another file) since it was hashed."""
    try:
        now = os.lstat(facts.absolute)
    except OSError:
        return True
    replaced = not stat.S_ISREG(now.st_mode) or (facts.inode and now.st_ino != facts.inode)
    return bool(replaced) or now.st_size != facts.size or now.st_mtime_ns != facts.mtime_ns
