"""Hash what the store really holds, in parallel, with a byte progress bar on a terminal.

The local store is hashed in place; S3 (boto3) objects are hashed chunk by chunk as their GET
body arrives; the rclone transport downloads each object into a scratch file that is hashed and
removed at once. Memory stays bounded whatever the object sizes: never a whole object in RAM.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from offload.errors import FindingsError, OffloadError
from offload.keys import validate_key
from offload.progress import byte_progress
from offload.store.base import HASH_CHUNK, Backend, Progress, sha256_file
from offload.store.local import LocalBackend
from offload.store.s3 import S3Backend

REMOTE_JOBS = 8


@dataclass(frozen=True)
class Digest:
    """The sha256 and size of the bytes stored under a key, or why they could not be read."""

    sha256: str | None = None
    size: int | None = None
    error: OffloadError | None = None


def default_jobs(backend: Backend) -> int:
    """Local reads are CPU-bound (one hashing thread per core); remote ones wait on the network."""
    if isinstance(backend, LocalBackend):
        return max(1, min(REMOTE_JOBS, os.cpu_count() or 1))
    return REMOTE_JOBS


def content_digests(backend: Backend, sizes: Mapping[str, int], jobs: int | None = None,
                    scratch: Path | None = None, description: str = "hashing"
                    ) -> dict[str, Digest]:
    """The digest of every key of ``sizes`` (key → expected size, for the progress bar); each key
    is read once. ``scratch``: where downloads are staged (default: the system's temp folder)."""
    keys = sorted(sizes)
    workers = max(1, min(jobs or default_jobs(backend), len(keys) or 1))
    with byte_progress(description, sum(sizes.values())) as advance, \
            ThreadPoolExecutor(max_workers=workers) as pool:
        found = pool.map(lambda key: _digest(backend, key, advance, scratch), keys)
        return dict(zip(keys, found, strict=True))


def _digest(backend: Backend, key: str, advance: Progress, scratch: Path | None) -> Digest:
    try:
        if isinstance(backend, LocalBackend):
            validate_key(key)
            path = backend.root / key
            return Digest(sha256_file(path, advance), path.stat().st_size)
        if isinstance(backend, S3Backend):
            return _streamed(backend, key, advance)
        with tempfile.TemporaryDirectory(prefix="offload-hash-", dir=scratch) as tmp:
            path = Path(tmp) / "object"
            backend.download(key, path, advance)
            return Digest(sha256_file(path), path.stat().st_size)
    except OffloadError as error:
        return Digest(error=error)
    except OSError as error:
        return Digest(error=FindingsError(
            f"{key} could not be read from the {backend.description}: {error.strerror or error}",
            "check the store's files and permissions, then run `offload verify` again"))


def _streamed(backend: S3Backend, key: str, advance: Progress) -> Digest:
    """One GET whose body is hashed as it arrives: no scratch file, no HEAD before it (boto3's
    download manager asks for one); a connection broken mid-body reads the object again."""
    from botocore.exceptions import ReadTimeoutError, ResponseStreamingError

    from offload.store.s3_errors import mapped

    with mapped(backend.endpoint, backend.bucket, key):
        for attempt in range(1, backend.max_attempts + 1):
            digest, size = hashlib.sha256(), 0
            try:
                reply = backend.client.get_object(Bucket=backend.bucket,
                                                  Key=backend.full_key(key))
                for chunk in reply["Body"].iter_chunks(HASH_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    advance(len(chunk))
            except (ResponseStreamingError, ReadTimeoutError):
                if attempt == backend.max_attempts:
                    raise
                continue
            break
    return Digest(digest.hexdigest(), size)
