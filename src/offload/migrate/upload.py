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
from offload.store.base import PutRequest, sha256_file
from offload.workspace import Workspace


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

    from offload.migrate.storecheck import matches, present_in_store

    there = present_in_store(backend, {k: (v.asset.size, v.asset.sha256)
                                       for k, v in todo.items()}, jobs=jobs)

    def one(version: Version, advance: Callable[[int], None]) -> None:
        if matches(there[version.key], version.asset.size, version.asset.sha256):
            sent["already_in_store"] += 1
            journal.mark_uploaded(version.key)
            return
        source = sources[version.asset.blob]
        if source.stat().st_size != version.asset.size or sha256_file(source) != \
                version.asset.sha256:
            bad.append(f"{version.path} (oid {version.asset.sha256[:12]}…)")
            return
        backend.put_file(PutRequest(key=version.key, path=source, sha256=version.asset.sha256,
                                    content_type=content_type_for(version.path),
                                    metadata={"sha256": version.asset.sha256}), advance)
        journal.mark_uploaded(version.key)
        crashpoint("upload")
        sent["uploaded"] += 1
        sent["bytes"] += version.asset.size

    total = sum(v.asset.size for v in todo.values())
    with byte_progress("uploading", total) as advance, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(one, v, advance) for v in todo.values()]:
            future.result()
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
        from offload.migrate.blobstream import stream_blobs

        tmp.mkdir(parents=True, exist_ok=True)
        handles = {}

        def sink(oid: str, _size: int) -> Callable[[bytes], object]:
            handles[oid] = open(tmp / oid, "wb")
            sources[oid] = tmp / oid
            return handles[oid].write

        stream_blobs(ws.root, plain, sink, lambda oid: handles.pop(oid).close())
    return sources
