"""The Python API for generation scripts: write straight into the store, read back, get URLs.

    store = offload.Store.from_repo()
    with store.open_write("renders/shot-010.png", meta={"prompt": "…"}) as out:
        image.save(out, format="PNG")
    print(out.url)
"""

from __future__ import annotations

import io
import os
import posixpath
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from offload.errors import UsageError
from offload.manifest import Entry
from offload.safepaths import CONTROL_CHARACTERS as _CONTROL
from offload.safepaths import UnsafeTarget, path_problem, shown, tree_target
from offload.workspace import Workspace


class Store:
    """The store and manifest of one repository (found from ``path`` or the cwd)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @classmethod
    def from_repo(cls, path: str | os.PathLike[str] | None = None) -> Store:
        return cls(Workspace.discover(None if path is None else os.fspath(path)))

    def url(self, path: str) -> str:
        """The public URL of a recorded asset (repository path or its URL)."""
        from offload.ops.fetch import find_entry

        entry = find_entry(self.workspace, _check_target(path))
        return entry.url or self.workspace.require_url(entry.key)

    def entry(self, path: str) -> Entry | None:
        return self.workspace.manifest.read().get(_check_target(path))

    def open_write(self, path: str, meta: Mapping[str, Any] | None = None,
                   source: str = "generate") -> StoreWriter:
        """A binary file whose ``close()`` uploads it, records it and returns its URL."""
        checked = check_repo_path(path, self.workspace.root)
        return StoreWriter(self.workspace, checked, dict(meta or {}), source)

    def open_read(self, path_or_url: str) -> io.BytesIO:
        """The bytes of a recorded asset, a store URL, an http(s) URL or a local file."""
        from offload.generate.fetch import fetch

        return io.BytesIO(fetch(self.workspace, _check_target(path_or_url)).data)


def check_repo_path(path: str, root: Path | None = None) -> str:
    """``path`` when it is a plain repository path (and, given the work tree ``root``, not
    under a symlinked folder that leads out of it); a UsageError otherwise."""
    problem = path_problem(path)
    if problem is None and root is not None:
        try:
            tree_target(root, path, create=False)
        except UnsafeTarget as exc:
            problem = str(exc)
    if problem:
        raise UsageError(f"{shown(path)} is not a path offload can record: {problem}",
                         "pass a normalised relative path inside the repository, like "
                         "'characters/mira/turnaround/v1.png'")
    return path


def _check_target(target: str) -> str:
    """A path or URL to look up: refused early when no file could have that name."""
    if not isinstance(target, str) or _CONTROL.search(target):
        raise UsageError(f"{shown(target)} is not a path or URL offload can look up",
                         "pass a path from `offload ls` or a URL")
    return target


class StoreWriter(io.RawIOBase):
    """Spooled to a private temp file (never the work tree); uploaded on close."""

    def __init__(self, ws: Workspace, path: str, meta: dict[str, Any], source: str) -> None:
        super().__init__()
        self.path = path
        self.meta = meta
        self.url: str | None = None
        self.entry: Entry | None = None
        self._ws = ws
        self._source = source
        spool = ws.repo.offload_dir / "spool"
        spool.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="write-", suffix=posixpath.splitext(path)[1],
                                    dir=spool)
        self._tmp = Path(name)
        self._file = os.fdopen(fd, "w+b")
        self._discard = False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return self._file.write(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def flush(self) -> None:
        if not self._file.closed:
            self._file.flush()

    def discard(self) -> None:
        """Close without uploading anything."""
        self._discard = True
        self.close()

    def close(self) -> str | None:  # type: ignore[override]
        if self.closed:
            return self.url
        try:
            self._file.close()
            if not self._discard:
                self.entry = _upload(self._ws, self.path, self._tmp, self.meta, self._source)
                self.url = self.entry.url or self.entry.key
        finally:
            self._tmp.unlink(missing_ok=True)
            super().close()
        return self.url

    def __enter__(self) -> StoreWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None:
            self._discard = True
        self.close()


def _upload(ws: Workspace, path: str, tmp: Path, meta: dict[str, Any], source: str) -> Entry:
    from offload.generate.provenance import object_metadata
    from offload.keys import is_content_addressed
    from offload.ops.put import FileFacts, entry_for
    from offload.store.base import PutRequest, sha256_file

    stat = tmp.stat()
    if stat.st_size == 0:
        raise UsageError(f"nothing was written to {path}", "write the file's content before "
                         "closing it (nothing was uploaded or recorded)")
    facts = FileFacts(path, tmp, stat.st_size, stat.st_mtime_ns, sha256_file(tmp))
    entry = entry_for(ws, facts, source, meta)
    info = ws.backend.head(entry.key)
    if info is None or info.size != entry.size or info.sha256 != entry.sha256:
        metadata = {"sha256": facts.sha256, **object_metadata(meta)}
        ws.backend.put_file(PutRequest(entry.key, tmp, facts.sha256, entry.content_type,
                                       metadata, is_content_addressed(ws.config.key_template)))
    ws.manifest.upsert([entry])
    return entry
