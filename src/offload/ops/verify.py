"""Check that every manifest entry is in the store with its size and sha256."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from offload.errors import IntegrityError
from offload.manifest import Entry, parse_manifest
from offload.store.base import Backend
from offload.workspace import Workspace


@dataclass(frozen=True)
class Problem:
    path: str
    key: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "key": self.key, "reason": self.reason}


def check_entry(backend: Backend, entry: Entry) -> Problem | None:
    info = backend.head(entry.key)
    if info is None:
        return Problem(entry.path, entry.key, "missing from the store")
    if info.size != entry.size:
        return Problem(entry.path, entry.key, f"size {info.size} in the store, {entry.size} "
                                              "recorded")
    if info.sha256 == entry.sha256:
        return None
    if info.sha256 is not None:
        return Problem(entry.path, entry.key, "sha256 in the store's metadata differs")
    # No sha256 metadata (uploaded by another tool): hash the content itself.
    with tempfile.TemporaryDirectory(prefix="offload-verify-") as tmp:
        try:
            backend.get_file(entry.key, Path(tmp) / "object", entry.sha256)
        except IntegrityError:
            return Problem(entry.path, entry.key, "content sha256 differs")
    return None


def verify_entries(backend: Backend, entries: Iterable[Entry], jobs: int = 8) -> list[Problem]:
    unique = {(e.key, e.sha256, e.size): e for e in entries}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        found = pool.map(lambda e: check_entry(backend, e), unique.values())
        return [p for p in found if p is not None]


def entries_across_history(ws: Workspace) -> list[Entry]:
    """Every entry of every committed offload.lock reachable from any ref, plus the work tree's."""
    from offload.git.run import run_git

    commits = run_git("rev-list", "--all", "--", "offload.lock", cwd=ws.root, check=False)
    specs = [f"{c}:offload.lock" for c in commits.lines() if c]
    entries = list(ws.manifest.read().values())
    if specs:
        out = run_git("cat-file", "--batch", cwd=ws.root,
                      input=("\n".join(specs) + "\n").encode()).stdout
        for text in _batch_contents(out):
            entries.extend(parse_manifest(text, "offload.lock (history)").values())
    return entries


def _batch_contents(out: bytes) -> list[str]:
    texts: list[str] = []
    pos = 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        texts.append(out[pos:pos + size].decode("utf-8", "replace"))
        pos += size + 1
    return texts
