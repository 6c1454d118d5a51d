"""What ``offload gc`` needs from a store beyond the Backend interface: a listing with
modification times that fails loudly instead of stopping short, the incomplete multipart
uploads under the prefix, and the temp files a killed local-store write leaves behind."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from offload.config.model import S3Settings
from offload.errors import StoreError
from offload.store.base import Backend

TEMP_PREFIX = ".tmp-offload-"
MAX_PAGES = 1_000_000  # a bound on a listing loop; one page holds up to 1,000 entries
UNSUPPORTED_CODES = frozenset({"NotImplemented", "NoSuchUpload", "MethodNotAllowed", "501"})


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime


@dataclass(frozen=True)
class PendingUpload:
    key: str
    upload_id: str
    initiated: datetime


def list_objects(backend: Backend, settings: S3Settings) -> list[StoredObject]:
    """Every object under the store prefix with its modification time (temp files excluded)."""
    from offload.store.local import META_DIR, LocalBackend

    if isinstance(backend, LocalBackend):
        return [StoredObject(key, size, modified) for key, size, modified
                in _walk(backend.root, skip_top=META_DIR) if not _is_temp(key)]
    return _s3_objects(as_s3(backend, settings))


def local_temp_files(backend: Backend) -> list[StoredObject]:
    """``.tmp-offload-*`` files of the local store (its metadata folder included); keys are
    paths relative to the store root."""
    from offload.store.local import LocalBackend

    if not isinstance(backend, LocalBackend):
        return []
    return [StoredObject(key, size, modified) for key, size, modified
            in _walk(backend.root, skip_top=None) if _is_temp(key)]


def remove_local_temp(backend: Backend, key: str) -> None:
    from offload.store.local import LocalBackend

    assert isinstance(backend, LocalBackend) and _is_temp(key)
    (backend.root / key).unlink(missing_ok=True)


def pending_uploads(backend: Backend, settings: S3Settings) -> list[PendingUpload] | None:
    """Incomplete multipart uploads under the prefix (S3: ListMultipartUploads); None when the
    server cannot list them (rclone serve s3 answers NoSuchUpload): they are never objects a
    commit references, so gc goes on without them and says so."""
    from offload.store.local import LocalBackend

    if isinstance(backend, LocalBackend):
        return []
    s3 = as_s3(backend, settings)
    base = f"{s3.prefix}/" if s3.prefix else ""

    def next_markers(page: dict[str, Any]) -> dict[str, str] | None:
        key, upload_id = page.get("NextKeyMarker"), page.get("NextUploadIdMarker")
        if not key:
            return None
        return {"KeyMarker": str(key), **({"UploadIdMarker": str(upload_id)} if upload_id
                                          else {})}

    pages = _pages(s3, "multipart upload", s3.client.list_multipart_uploads, next_markers,
                   UNSUPPORTED_CODES, Bucket=s3.bucket, Prefix=base)
    if pages is None:
        return None
    return [PendingUpload(str(item["Key"])[len(base):], str(item["UploadId"]),
                          _utc(item["Initiated"]))
            for page in pages for item in page.get("Uploads", ())]


def abort_upload(backend: Backend, settings: S3Settings, upload: PendingUpload) -> None:
    from offload.store.s3_errors import mapped

    s3 = as_s3(backend, settings)
    full = f"{s3.prefix}/{upload.key}" if s3.prefix else upload.key
    with mapped(s3.endpoint, s3.bucket, upload.key):
        s3.client.abort_multipart_upload(Bucket=s3.bucket, Key=full, UploadId=upload.upload_id)


def as_s3(backend: Backend, settings: S3Settings) -> Any:
    """The boto3 view of a remote store (``transport: rclone`` lists through boto3 too)."""
    from offload.store.rclone import RcloneBackend
    from offload.store.s3 import S3Backend

    if isinstance(backend, S3Backend):
        return backend
    if isinstance(backend, RcloneBackend):
        return S3Backend.from_rclone_remote(backend.remote, backend.bucket, backend.prefix,
                                            settings)
    raise StoreError(f"gc cannot list {backend.description}",
                     "run gc with a local, s3:// or rclone: store")


def _s3_objects(s3: Any) -> list[StoredObject]:
    base = f"{s3.prefix}/" if s3.prefix else ""

    def next_token(page: dict[str, Any]) -> dict[str, str] | None:
        token = page.get("NextContinuationToken")
        return {"ContinuationToken": str(token)} if token else None

    pages = _pages(s3, "object", s3.client.list_objects_v2, next_token, frozenset(),
                   Bucket=s3.bucket, Prefix=base)
    assert pages is not None
    return [StoredObject(str(item["Key"])[len(base):], int(item["Size"]),
                         _utc(item["LastModified"]))
            for page in pages for item in page.get("Contents", ())]


def _pages(s3: Any, what: str, call: Callable[..., dict[str, Any]],
           follow: Callable[[dict[str, Any]], dict[str, str] | None],
           unsupported: frozenset[str], **args: str) -> list[dict[str, Any]] | None:
    """Every page of a listing (None: the server answered one of the ``unsupported`` codes);
    a truncated page with no way to continue is an error, never an end: gc must not mistake
    a partial listing for the whole store."""
    from botocore.exceptions import ClientError

    from offload.store.s3_errors import error_code, mapped

    pages: list[dict[str, Any]] = []
    more: dict[str, str] = {}
    with mapped(s3.endpoint, s3.bucket):
        for _ in range(MAX_PAGES):
            try:
                page = call(**args, **more)
            except ClientError as exc:
                if error_code(exc) in unsupported:
                    return None
                raise
            pages.append(page)
            if not page.get("IsTruncated"):
                return pages
            found = follow(page)
            if found is None:
                break
            more = found
    raise _truncated(s3.description, what)


def _walk(root: Path, skip_top: str | None) -> Iterator[tuple[str, int, datetime]]:
    if not root.is_dir():
        return

    def fail(error: OSError) -> None:
        raise StoreError(f"cannot list the local store at {root}: {error}",
                         "fix the permissions of the store folder, then rerun gc")

    for dirpath, dirnames, filenames in os.walk(root, onerror=fail):
        if skip_top is not None and Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d != skip_top]
        for name in filenames:
            full = Path(dirpath) / name
            try:
                stat = full.lstat()
            except FileNotFoundError:
                continue  # renamed or removed by a concurrent write: not ours to judge
            yield (full.relative_to(root).as_posix(), stat.st_size,
                   datetime.fromtimestamp(stat.st_mtime, UTC))


def _is_temp(key: str) -> bool:
    return key.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value))


def _truncated(where: str, what: str) -> StoreError:
    return StoreError(
        f"the {what} listing of {where} came back truncated without a way to continue; gc "
        "refused and deleted nothing",
        "retry later; if it persists, the store does not paginate listings correctly",
    )
