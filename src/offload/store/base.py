"""The one interface every store backend implements."""

from __future__ import annotations

import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from offload.errors import IntegrityError, ObjectExistsError

IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable"
HASH_CHUNK = 1024 * 1024
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str | None = None
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    #: MD5 of the stored bytes as the server computed it (a plain single-part ETag), if known.
    etag_md5: str | None = None


@dataclass(frozen=True)
class PutRequest:
    key: str
    path: Path
    sha256: str
    content_type: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    immutable: bool = True
    #: MD5 of the file, when the caller read it already (see :func:`file_digests`).
    md5: str | None = None


def overwrite_refused(key: str, found: str | None) -> ObjectExistsError:
    what = f"sha256 {found[:12]}…" if found else "no recorded sha256"
    return ObjectExistsError(
        f"{key} already holds other content in the store ({what}); nothing was overwritten",
        "give the new version its own key: use a key_template with {sha256:12} (the default) "
        "or write the file under a new path",
    )


def file_finished(progress: Progress | None) -> None:
    """Tell a progress bar that counts files (``offload.progress.Advance``) one more is done."""
    done = getattr(progress, "file_done", None)
    if done is not None:
        done()


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    return file_digests(path, progress=progress)[0]


def file_digests(path: Path, with_md5: bool = False, progress: Progress | None = None
                 ) -> tuple[str, str | None]:
    """SHA-256 of the file, and its MD5 when asked for: both from one read."""
    digests = [hashlib.sha256(), *([hashlib.md5()] if with_md5 else [])]
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            for digest in digests:
                digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digests[0].hexdigest(), digests[1].hexdigest() if with_md5 else None


class Backend(ABC):
    """A place objects live: the local directory store, S3 (boto3) or rclone.

    ``description`` is safe to print: it never contains credentials.
    """

    description: str = "store"
    #: One listing of a prefix is cheaper than a HEAD per key (remote stores).
    listing_beats_head: bool = False
    #: Files smaller than this go up in one request that carries their MD5 (PutRequest.md5).
    md5_below: int = 0

    @abstractmethod
    def put_file(self, request: PutRequest, progress: Progress | None = None) -> None:
        """Upload one file (streamed) under ``request.key``.

        A content-addressed key (``request.immutable``) is simply written; any other key is
        created only if absent (see :meth:`already_there`), so no version overwrites another.
        """

    @abstractmethod
    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        """Create ``key`` only if nothing is there; raise ObjectExistsError otherwise."""

    @abstractmethod
    def head(self, key: str) -> ObjectInfo | None:
        """Size, sha256 (from metadata) and type of ``key``, or None when absent."""

    @abstractmethod
    def download(self, key: str, dest: Path, progress: Progress | None = None) -> None:
        """Stream ``key`` into the file ``dest`` (no verification; see :meth:`get_file`)."""

    @abstractmethod
    def iter_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Every object under ``prefix`` (sha256 may be None: listing gives no metadata)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove ``key``; absent keys are not an error."""

    def already_there(self, request: PutRequest) -> bool:
        """For a key that is not content-addressed: True when the same content is already at
        ``request.key`` (nothing to send), False when the key is free; ObjectExistsError when
        other content is there, which is never overwritten."""
        info = self.head(request.key)
        if info is None:
            return False
        if info.sha256 == request.sha256:
            return True
        raise overwrite_refused(request.key, info.sha256)

    def default_public_base(self) -> str | None:
        """Public URL base when offload.yaml sets none (the local store's file:// URL)."""
        return None

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def put_files(self, requests: Iterable[PutRequest], progress: Progress | None = None,
                  jobs: int = 8) -> None:
        """Upload many files in parallel; the first failure is raised after the rest finish."""
        items = list(requests)
        if not items:
            return
        def send(item: PutRequest) -> None:
            self.put_file(item, progress)
            file_finished(progress)

        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(items)))) as pool:
            futures = [pool.submit(send, item) for item in items]
            errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error

    def get_file(self, key: str, dest: Path, expected_sha256: str | None = None,
                 progress: Progress | None = None) -> str:
        """Download to ``dest`` through a temp file beside it; verify sha256; leave nothing
        on mismatch. The temp is created new (``O_EXCL|O_NOFOLLOW``) and renamed over
        ``dest``, so a symlink at ``dest`` is replaced, never followed."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".offload-", suffix=".part", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            self.download(key, tmp, progress)
            actual = sha256_file(tmp)
            if expected_sha256 is not None and actual != expected_sha256:
                raise IntegrityError(
                    f"{key}: downloaded content has sha256 {actual[:12]}…, expected "
                    f"{expected_sha256[:12]}…",
                    "the stored object is damaged or was replaced: re-upload it with "
                    "`offload put PATH` from a good copy, then retry",
                )
            os.replace(tmp, dest)
            return actual
        finally:
            tmp.unlink(missing_ok=True)
