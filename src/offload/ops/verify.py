"""Check every manifest entry against the store: by content or by the store's metadata.

The local store is always checked by content (every byte hashed in place). Remote stores are
checked by metadata unless ``deep``: size, the sha256 offload recorded, and the ETag where it is
the MD5 of a single-part object (compared with the MD5 offload recorded at upload, so an object
replaced behind offload's back with the old metadata is still caught); ``deep`` downloads and
hashes everything. Each distinct object (key and sha256) is checked once, each key read once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from offload.errors import OffloadError, StoreError
from offload.manifest import Entry, parse_manifest
from offload.store.base import Backend, ObjectInfo
from offload.store.local import LocalBackend
from offload.workspace import Workspace

CONTENT, METADATA = "content", "metadata"


@dataclass(frozen=True)
class Problem:
    path: str
    key: str
    reason: str
    actual_sha256: str | None = None

    def to_json(self) -> dict[str, str]:
        found = {"actual_sha256": self.actual_sha256} if self.actual_sha256 else {}
        return {"path": self.path, "key": self.key, "reason": self.reason, **found}


@dataclass(frozen=True)
class Report:
    check: str  # CONTENT or METADATA
    checked: int
    problems: list[Problem]

    def to_json(self) -> dict[str, object]:
        return {"check": self.check, "checked": self.checked, "ok": not self.problems,
                "problems": [p.to_json() for p in self.problems]}


def check_kind(backend: Backend, deep: bool) -> str:
    return CONTENT if deep or isinstance(backend, LocalBackend) else METADATA


def verify_entries(backend: Backend, entries: Iterable[Entry], jobs: int | None = None,
                   deep: bool = False, scratch: Path | None = None) -> Report:
    from offload.ops.contentcheck import content_digests

    unique = list({(e.key, e.sha256): e for e in entries}.values())
    kind = check_kind(backend, deep)
    infos = _lookup(backend, {e.key for e in unique}, kind, jobs)
    problems: list[Problem] = []
    to_hash: list[Entry] = []
    for entry in unique:
        info = infos[entry.key]
        problem = _presence_problem(entry, info)
        if problem is None and kind == METADATA:
            problem = _metadata_problem(entry, info)
        if problem is not None:
            problems.append(problem)
        elif kind == CONTENT or (info is not None and info.sha256 is None):
            to_hash.append(entry)  # (metadata check) no sha256 recorded: the content tells
    digests = content_digests(backend, {e.key: e.size for e in to_hash}, jobs, scratch,
                              "verifying")
    for entry in to_hash:
        digest = digests[entry.key]
        if isinstance(digest.error, StoreError):
            raise digest.error
        if digest.sha256 != entry.sha256 or digest.size != entry.size:
            problems.append(_content_problem(entry, digest.sha256, digest.error))
    problems.sort(key=lambda p: (p.path, p.key))
    return Report(kind, len(unique), problems)


def _lookup(backend: Backend, keys: set[str], kind: str, jobs: int | None
            ) -> dict[str, ObjectInfo | None]:
    """What the store holds under each key. Hashing needs only sizes: one listing gives them
    for a remote store; the metadata check needs each key's HEAD."""
    from offload.migrate.verify.store import head_many, listed_sizes
    from offload.ops.contentcheck import default_jobs

    if kind == CONTENT and backend.listing_beats_head:
        sizes = listed_sizes(backend, keys)
        if sizes is not None:
            return {k: ObjectInfo(k, sizes[k]) if k in sizes else None for k in keys}
    return head_many(backend, keys, jobs or default_jobs(backend))


def _presence_problem(entry: Entry, info: ObjectInfo | None) -> Problem | None:
    if info is None:
        return Problem(entry.path, entry.key, "missing from the store")
    if info.size != entry.size:
        return Problem(entry.path, entry.key,
                       f"size {info.size} in the store, {entry.size} recorded")
    return None


def _metadata_problem(entry: Entry, info: ObjectInfo | None) -> Problem | None:
    assert info is not None
    if info.sha256 is not None and info.sha256 != entry.sha256:
        return Problem(entry.path, entry.key,
                       f"the store's metadata says sha256 {info.sha256}, offload.lock records "
                       f"{entry.sha256}")
    recorded_md5 = info.metadata.get("md5")
    if info.etag_md5 and recorded_md5 and info.etag_md5 != recorded_md5.lower():
        return Problem(entry.path, entry.key,
                       f"the store's ETag (MD5 of the bytes it holds) is {info.etag_md5}, the MD5 "
                       f"recorded at upload is {recorded_md5}: the object was replaced")
    return None


def _content_problem(entry: Entry, actual: str | None, error: OffloadError | None) -> Problem:
    if error is not None:
        return Problem(entry.path, entry.key, f"could not be read: {error.message}")
    return Problem(entry.path, entry.key,
                   f"content sha256 {actual}, offload.lock records {entry.sha256}", actual)


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
