"""``--copy-to STORE``: every object the history references, copied to the new store first
(bucket moves), each verified against its recorded sha256 on the way."""

from __future__ import annotations

import dataclasses
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from offload.manifest import Entry
from offload.migrate.journal import Journal
from offload.store.base import Backend, PutRequest
from offload.workspace import Workspace

JOBS = 8


def copy_objects(ws: Workspace, store: str, journal: Journal) -> dict[str, Any]:
    from offload.gc.references import history_entries
    from offload.store.factory import open_backend

    if journal.done("copied"):
        return dict(journal.phases["copied"])
    target = open_backend(dataclasses.replace(ws.config, store=store), ws.repo)
    wanted = {(e.key, e.sha256, e.size): e for e in history_entries(ws.root)}
    todo = [e for (key, _sha, _size), e in sorted(wanted.items())
            if f"copy:{key}" not in journal.uploaded]
    with tempfile.TemporaryDirectory(prefix="offload-copy-") as tmp:
        with ThreadPoolExecutor(max_workers=JOBS) as pool:
            sent = list(pool.map(lambda e: _copy_one(ws.backend, target, e, Path(tmp)), todo))
    for entry in todo:
        journal.append({"uploaded": f"copy:{entry.key}"})
    result = {"store": target.description, "objects": len(wanted),
              "copied": sum(sent), "bytes_copied": sum(e.size for e, s in zip(todo, sent,
                                                                            strict=True) if s)}
    journal.mark_phase("copied", result)
    return result


def _copy_one(source: Backend, target: Backend, entry: Entry, folder: Path) -> bool:
    """False when the target already holds it (same size and sha256)."""
    found = target.head(entry.key)
    if found is not None and found.size == entry.size and found.sha256 == entry.sha256:
        return False
    local = folder / entry.sha256
    source.get_file(entry.key, local, entry.sha256)  # raises on a sha256 mismatch
    try:
        target.put_file(PutRequest(entry.key, local, entry.sha256, entry.content_type))
    finally:
        local.unlink(missing_ok=True)
    return True
