"""`offload gc`: read every reference, list the store, then delete only old garbage.

Order matters: the reference set is read before the store is listed, so an object uploaded
after the read is newer than the cutoff and kept; just before deleting, the work-tree
manifests are read again so an upload recorded meanwhile is kept too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from offload.errors import FindingsError, GitStateError, OffloadError, StoreError
from offload.gc.plan import MULTIPART, TEMP, Garbage, Sorting, sort_store
from offload.gc.references import References, read_references, worktree_keys
from offload.store import garbage as store_garbage
from offload.workspace import Workspace


@dataclass
class GcReport:
    dry_run: bool
    older_than: timedelta
    refs: References
    sorting: Sorting
    deleted: list[Garbage] = field(default_factory=list)
    failed: list[tuple[Garbage, str]] = field(default_factory=list)
    log_path: Path | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "older_than_seconds": int(self.older_than.total_seconds()),
            "references": {"commits": self.refs.commits, "keys": len(self.refs.keys),
                           "lock_versions": self.refs.lock_versions,
                           "worktree_locks": self.refs.worktree_locks},
            "garbage": [g.to_json() for g in self.sorting.garbage],
            "kept": {"referenced": self.sorting.referenced, "too_young": self.sorting.too_young,
                     "claims": self.sorting.claims_kept},
            "deleted": [g.to_json() for g in self.deleted],
            "failed": [{**g.to_json(), "error": e} for g, e in self.failed],
            "log": str(self.log_path) if self.log_path else None,
            "notes": self.notes,
        }


def run_gc(ws: Workspace, older_than: timedelta, dry_run: bool, all_repos_listed: bool,
           other_repos: list[Path]) -> GcReport:
    refuse_shared_store(ws, all_repos_listed)
    refuse_unfinished_migration(ws)
    lock = lock_path(ws)
    refs = read_references(ws.root, lock)
    for other in other_repos:
        extra = read_references(other, lock)
        refs.keys |= extra.keys
        refs.paths |= extra.paths
        refs.commits += extra.commits
    cutoff = datetime.now(UTC) - older_than
    backend, settings = ws.backend, ws.config.s3
    objects = store_garbage.list_objects(backend, settings)
    uploads = store_garbage.pending_uploads(backend, settings)
    sorting = sort_store(refs, objects, store_garbage.local_temp_files(backend), uploads or [],
                         cutoff)
    report = GcReport(dry_run, older_than, refs, sorting)
    if uploads is None:
        report.notes.append(f"{backend.description} cannot list incomplete multipart uploads; "
                            "none were aborted (abort them with the provider's tools or a "
                            "bucket lifecycle rule)")
    if dry_run or not sorting.garbage:
        return report
    late = read_references(ws.root, lock).keys  # recorded while we listed
    report.log_path = _log_path(ws)
    report.log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(report.log_path, "a", encoding="utf-8") as log:
        for item in sorting.garbage:
            if item.kind not in (TEMP, MULTIPART) and item.key in late:
                continue
            try:
                _remove(ws, item)
            except OffloadError as exc:
                report.failed.append((item, exc.message))
                continue
            report.deleted.append(item)
            record = {**item.to_json(), "deleted_at": _now()}
            log.write(json.dumps(record, sort_keys=True) + "\n")
            log.flush()
    _report_raced(report, worktree_keys(ws.root, lock))
    return report


def _report_raced(report: GcReport, now_referenced: set[str]) -> None:
    """A put of the very same content (same key) recorded while gc deleted: say so loudly;
    the file is still in that work tree, so one `offload put` restores the object."""
    raced = sorted(g.key for g in report.deleted
                   if g.kind not in (TEMP, MULTIPART) and g.key in now_referenced)
    if raced:
        raise FindingsError(
            f"{len(raced)} object(s) were recorded in an offload.lock while gc deleted them: "
            + ", ".join(raced[:5]),
            "run `offload verify` in each worktree and `offload put PATH` for the files it "
            "lists as missing (their content is still in the work tree)",
        )


def lock_path(ws: Workspace) -> str:
    return ws.config.manifest_path.relative_to(ws.root).as_posix()


def store_is_private(ws: Workspace) -> bool:
    """Only the embedded local store (under this repository's git dir) is known to serve this
    repository alone; any other store may be shared by other repositories or clones."""
    from offload.store.factory import store_spec_for

    spec = store_spec_for(ws.config, ws.repo)
    embedded = (ws.repo.shared_dir / "store").resolve()
    return spec.kind == "local" and spec.path is not None and spec.path.resolve() == embedded


def refuse_shared_store(ws: Workspace, all_repos_listed: bool) -> None:
    if all_repos_listed or store_is_private(ws):
        return
    raise GitStateError(
        f"gc refused: {ws.backend.description} is not this repository's embedded store, so "
        "other repositories (or clones with unpushed commits) may reference its objects; "
        "gc only sees the references of the repositories it reads",
        "run gc in a clone that has fetched every branch and tag, name every other repository "
        "using this store with --repo PATH, then add --all-repos-listed to confirm none is "
        "missing (try --dry-run first)",
    )


def refuse_unfinished_migration(ws: Workspace) -> None:
    from offload.migrate.journal import Journal

    folder = ws.repo.common_dir / "offload" / "migrate"
    for path in sorted(folder.glob("*/journal.jsonl")) if folder.is_dir() else []:
        if not Journal(path.parent).done("finished"):
            name = path.parent.name
            command = "rebase-urls" if name.endswith("rebase-urls") else "migrate"
            raise GitStateError(
                f"gc refused: {command} run {name} has not finished (what it uploads or "
                "rewrites is not referenced by any commit yet); nothing was deleted",
                f"finish it (`offload {command} run migrations/{name}.yaml`) or roll it back "
                f"(`offload {command} rollback migrations/{name}.yaml`), then rerun gc",
            )


def _remove(ws: Workspace, item: Garbage) -> None:
    try:
        if item.kind == TEMP:
            store_garbage.remove_local_temp(ws.backend, item.key)
        elif item.kind == MULTIPART:
            assert item.upload_id is not None
            store_garbage.abort_upload(ws.backend, ws.config.s3,
                                       store_garbage.PendingUpload(item.key, item.upload_id,
                                                                   item.modified))
        else:
            ws.backend.delete(item.key)
    except OSError as exc:
        raise StoreError(f"cannot remove {item.key}: {exc.strerror}",
                         "check the store's permissions, then rerun gc") from exc


def _log_path(ws: Workspace) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return ws.repo.common_dir / "offload" / "gc" / f"{stamp}-{os.getpid()}.jsonl"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
