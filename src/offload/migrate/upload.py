"""Upload every selected blob version under its key: parallel, journaled, verified first."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from offload.errors import IntegrityError
from offload.migrate.inventory import Asset, lfs_object_path
from offload.migrate.journal import Journal, crashpoint
from offload.migrate.recipe import Rules, key_for
from offload.store.base import PutRequest, file_digests
from offload.workspace import Workspace

BATCH = 256  # uploads sent through one transfer session, then journaled together
LANES = 2  # batches sent at once


@dataclass(frozen=True)
class Version:
    path: str
    asset: Asset
    key: str


def versions_of(rules: Rules, assets: dict[str, Asset]) -> list[Version]:
    rows = [Version(p, a, key_for(rules, p, a.sha256, a.size))
            for a in assets.values() for p in sorted(a.paths)]
    return sorted(rows, key=lambda v: (v.key, v.path))


def upload_versions(ws: Workspace, journal: Journal, versions: list[Version], jobs: int
                    ) -> dict[str, int]:
    """Send what the store lacks; returns counts and bytes sent."""
    from offload.ops.put import content_type_for
    from offload.progress import byte_progress

    backend = ws.backend
    todo = {v.key: v for v in versions if v.key not in journal.uploaded}
    tmp = journal.folder / "blobs"
    sources = _sources(ws, list(todo.values()), tmp)
    bad: list[str] = []
    sent = {"uploaded": 0, "bytes": 0, "already_in_store": len(versions) - len(todo)}
    from offload.migrate.verify.store import matches, present_in_store

    there = present_in_store(backend, {k: (v.asset.size, v.asset.sha256)
                                       for k, v in todo.items()}, jobs=jobs)
    present = {k for k, v in todo.items() if matches(there[k], v.asset.size, v.asset.sha256)}
    journal.mark_uploaded_many(sorted(present))
    sent["already_in_store"] += len(present)
    missing = [v for k, v in todo.items() if k not in present]

    def digests(version: Version) -> tuple[bool, str | None]:
        """Whether the source holds the oid's bytes, and their MD5 when the store wants it."""
        source = sources[version.asset.blob]
        if source.stat().st_size != version.asset.size:
            return False, None
        sha256, md5 = file_digests(source, with_md5=version.asset.size < backend.md5_below)
        return sha256 == version.asset.sha256, md5

    def send(batch: list[Version]) -> tuple[list[Version], list[Version]]:
        checked = list(zip(batch, hashing.map(digests, batch), strict=True))
        good = [(v, md5) for v, (ok, md5) in checked if ok]
        backend.put_files([PutRequest(
            key=v.key, path=sources[v.asset.blob], sha256=v.asset.sha256,
            content_type=content_type_for(v.path), metadata={"sha256": v.asset.sha256}, md5=md5)
            for v, md5 in good], advance, jobs=max(1, jobs))
        return [v for v, _ in good], [v for v, (ok, _) in checked if not ok]

    total = sum(v.asset.size for v in missing)
    batches = [missing[start:start + BATCH] for start in range(0, len(missing), BATCH)]
    # two batches in flight: the next one starts while the last files of this one finish
    with byte_progress("uploading", total) as advance, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as hashing, \
            ThreadPoolExecutor(max_workers=LANES) as lanes:
        sending = [lanes.submit(send, batch) for batch in batches]
        try:
            for future in sending:  # journaled in order, each once all its files are stored
                good, damaged = future.result()
                journal.mark_uploaded_many([v.key for v in good])
                crashpoint("upload")
                sent["uploaded"] += len(good)
                sent["bytes"] += sum(v.asset.size for v in good)
                bad += [f"{v.path} (oid {v.asset.sha256[:12]}…)" for v in damaged]
        except BaseException:
            for future in sending:
                future.cancel()
            raise
    shutil.rmtree(tmp, ignore_errors=True)
    if bad:
        raise IntegrityError(
            f"{len(bad)} LFS object(s) do not match their oid and were not uploaded: "
            + ", ".join(sorted(bad)),
            "the local LFS copy is damaged: delete it from .git/lfs/objects and run "
            "`git lfs fetch --all`, then rerun (uploads already done are kept)",
        )
    return sent


def _sources(ws: Workspace, versions: list[Version], tmp: Path) -> dict[str, Path]:
    """Where each blob's content is on disk: the LFS object, or plain blobs extracted."""
    sources: dict[str, Path] = {}
    plain: list[str] = []
    for v in versions:
        if v.asset.kind == "lfs":
            sources[v.asset.blob] = lfs_object_path(ws.repo.common_dir, v.asset.sha256)
        else:
            plain.append(v.asset.blob)
    if plain:
        from offload.migrate.gitwalk.blobstream import stream_blobs

        tmp.mkdir(parents=True, exist_ok=True)
        handles = {}

        def sink(oid: str, _size: int) -> Callable[[bytes], object]:
            handles[oid] = open(tmp / oid, "wb")
            sources[oid] = tmp / oid
            return handles[oid].write

        stream_blobs(ws.root, plain, sink, lambda oid: handles.pop(oid).close())
    return sources
