"""The embedded local directory store.

Objects live at ``root/<key>``; their sha256, content type and metadata live in a
sidecar ``root/.offload-meta/<key>.json`` so ``head`` can answer like S3 does.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from offload.errors import ObjectExistsError, StoreError
from offload.keys import validate_key
from offload.store.base import Backend, ObjectInfo, Progress, PutRequest

META_DIR = ".offload-meta"
COPY_CHUNK = 1024 * 1024


class LocalBackend(Backend):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"local store {root}"

    def _object_path(self, key: str) -> Path:
        validate_key(key)
        return self.root / key

    def _meta_path(self, key: str) -> Path:
        return self.root / META_DIR / f"{key}.json"

    def _ensure_root(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the local store at {self.root}: {exc.strerror}",
                "check the permissions of that folder or set `store:` in offload.yaml",
            ) from exc

    def put_file(self, request: PutRequest, progress: Progress | None = None) -> None:
        self._ensure_root()
        target = self._object_path(request.key)
        _atomic_copy(request.path, target, progress)
        self._write_meta(request.key, request.sha256, request.content_type, request.metadata)

    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        self._ensure_root()
        target = self._object_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError as exc:
            raise ObjectExistsError(
                f"{key} already exists in the store",
                "choose another key (or version); existing objects are never overwritten",
            ) from exc
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        import hashlib

        self._write_meta(key, hashlib.sha256(data).hexdigest(), content_type, metadata or {})

    def head(self, key: str) -> ObjectInfo | None:
        path = self._object_path(key)
        try:
            size = path.stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            return None
        meta: dict[str, object] = {}
        try:
            meta = json.loads(self._meta_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        return ObjectInfo(
            key=key,
            size=size,
            sha256=_str_or_none(meta.get("sha256")),
            content_type=_str_or_none(meta.get("content_type")),
            metadata=dict(meta.get("metadata") or {}),  # type: ignore[call-overload]
        )

    def download(self, key: str, dest: Path, progress: Progress | None = None) -> None:
        source = self._object_path(key)
        if not source.is_file():
            raise StoreError(f"{key} is not in the {self.description}",
                             "run `offload verify` to list what is missing, then `offload put`")
        with open(source, "rb") as src, open(dest, "wb") as out:
            _copy(src, out, progress)

    def iter_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        if not self.root.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d != META_DIR or dirpath != str(self.root))
            for name in sorted(filenames):
                full = Path(dirpath) / name
                key = full.relative_to(self.root).as_posix()
                if key.startswith(prefix) and not name.startswith(".tmp-offload-"):
                    yield ObjectInfo(key=key, size=full.stat().st_size)

    def delete(self, key: str) -> None:
        self._object_path(key).unlink(missing_ok=True)
        self._meta_path(key).unlink(missing_ok=True)

    def default_public_base(self) -> str:
        return self.root.resolve().as_uri()

    def _write_meta(self, key: str, sha256: str, content_type: str,
                    metadata: Mapping[str, str]) -> None:
        record = {"sha256": sha256, "content_type": content_type, "metadata": dict(metadata)}
        path = self._meta_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".tmp-offload-{os.getpid()}-{path.name}")
        tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def _atomic_copy(source: Path, target: Path, progress: Progress | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-offload-", dir=target.parent)
    try:
        with open(source, "rb") as src, os.fdopen(fd, "wb") as out:
            _copy(src, out, progress)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy(src: object, out: object, progress: Progress | None) -> None:
    if progress is None:
        shutil.copyfileobj(src, out, COPY_CHUNK)  # type: ignore[arg-type]
        return
    while chunk := src.read(COPY_CHUNK):  # type: ignore[attr-defined]
        out.write(chunk)  # type: ignore[attr-defined]
        progress(len(chunk))


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
