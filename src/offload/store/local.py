"""The embedded local directory store.

Objects live at ``root/<key>``; their sha256, content type and metadata live in a
sidecar ``root/.offload-meta/<key>.json`` so ``head`` can answer like S3 does.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from offload.errors import ObjectExistsError, StoreError
from offload.keys import validate_key
from offload.store.base import (
    Backend,
    ObjectInfo,
    Progress,
    PutRequest,
    overwrite_refused,
    sha256_file,
)
from offload.store.local_files import (
    TEMP_PREFIX,
    copy_stream,
    copy_to_temp,
    link_if_absent,
    remove_stale_temps,
    written_into,
)

META_DIR = ".offload-meta"


class LocalBackend(Backend):
    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"local store {root}"
        self._swept: set[Path] = set()

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
        if not request.immutable and self.already_there(request):
            return
        with open(request.path, "rb") as source, written_into(self.description, request.key):
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent not in self._swept:  # once per folder: scandir is O(entries)
                self._swept.add(target.parent)
                remove_stale_temps(target.parent)
            tmp = copy_to_temp(source, target.parent, progress)
            try:
                if request.immutable:
                    os.replace(tmp, target)
                elif not link_if_absent(tmp, target) and sha256_file(target) != request.sha256:
                    raise overwrite_refused(request.key, None)
            finally:
                tmp.unlink(missing_ok=True)
            self._write_meta(request.key, request.sha256, request.content_type,
                             request.metadata)

    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        self._ensure_root()
        target = self._object_path(key)
        with written_into(self.description, key):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = copy_to_temp(io.BytesIO(data), target.parent, None)
            try:
                if not link_if_absent(tmp, target):
                    raise ObjectExistsError(
                        f"{key} already exists in the store",
                        "choose another key (or version); existing objects are never overwritten",
                    )
            finally:
                tmp.unlink(missing_ok=True)
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
            copy_stream(src, out, progress)

    def iter_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        if not self.root.is_dir():
            return
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if d != META_DIR or dirpath != str(self.root))
            for name in sorted(filenames):
                full = Path(dirpath) / name
                key = full.relative_to(self.root).as_posix()
                if key.startswith(prefix) and not name.startswith(TEMP_PREFIX):
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
        tmp = path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name}")
        try:
            tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
