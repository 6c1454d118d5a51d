"""S3-compatible stores through boto3, with the defaults Cloudflare R2 needs (SPEC §2)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from offload.config.model import S3Settings
from offload.keys import validate_key
from offload.store.base import IMMUTABLE_CACHE_CONTROL, Backend, ObjectInfo, Progress, PutRequest
from offload.store.s3_errors import MISSING_CODES, bucket_missing, error_code, mapped

if TYPE_CHECKING:
    from offload.store.rclone_conf import RcloneRemote

MIB = 1024 * 1024
MULTIPART_THRESHOLD = 64 * MIB
PART_SIZE = 16 * MIB  # s3transfer keeps every part this size except the last
MAX_ATTEMPTS = 5  # standard mode backs off exponentially: ~15 s at most before giving up


class S3Backend(Backend):
    """Objects at ``<prefix>/<key>`` in ``bucket``; credentials from boto3's chain unless given."""

    listing_beats_head = True

    def __init__(self, bucket: str, prefix: str, settings: S3Settings, *,
                 access_key: str | None = None, secret_key: str | None = None,
                 session_token: str | None = None, endpoint_url: str | None = None,
                 max_attempts: int | None = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.settings = settings
        self.endpoint_url = endpoint_url or settings.endpoint_url
        self.max_attempts = max_attempts or _env_attempts() or MAX_ATTEMPTS
        self._credentials = (access_key, secret_key, session_token)
        self._client: Any = None
        self._lock = threading.Lock()
        self._bucket_checked = False
        self.endpoint = self.endpoint_url or "AWS S3"
        where = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.description = f"{where} at {self.endpoint}"

    def __repr__(self) -> str:
        return f"S3Backend({self.description!r})"

    @classmethod
    def from_rclone_remote(cls, remote: RcloneRemote, bucket: str, prefix: str,
                           settings: S3Settings) -> S3Backend:
        merged = S3Settings(
            endpoint_url=settings.endpoint_url or remote.endpoint_url,
            region=remote.region or settings.region,
            addressing_style=settings.addressing_style or remote.addressing_style,
        )
        if remote.env_auth:
            return cls(bucket, prefix, merged)
        return cls(bucket, prefix, merged, access_key=remote.access_key_id,
                   secret_key=remote.secret_access_key, session_token=remote.session_token)

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _make_client(self) -> Any:
        import boto3.session
        from botocore.config import Config

        region: str | None = self.settings.region or "auto"
        if region == "auto" and not self.endpoint_url:
            region = None  # AWS itself has no "auto" region: let boto3's chain decide
        config = Config(
            signature_version="s3v4",
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"mode": "standard", "max_attempts": self.max_attempts},
            s3={"addressing_style": self.settings.addressing_style or "auto"},
            max_pool_connections=64,
            connect_timeout=10,
            read_timeout=60,
            tcp_keepalive=True,
        )
        access, secret, token = self._credentials
        session = boto3.session.Session(aws_access_key_id=access, aws_secret_access_key=secret,
                                        aws_session_token=token)
        return session.client("s3", endpoint_url=self.endpoint_url, region_name=region,
                              config=config)

    def full_key(self, key: str) -> str:
        validate_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _manager(self, jobs: int) -> Any:
        from s3transfer.manager import TransferConfig, TransferManager

        config = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=PART_SIZE,
            max_request_concurrency=max(1, jobs), max_submission_concurrency=4,
            io_chunksize=256 * 1024, num_download_attempts=self.max_attempts,
        )
        return TransferManager(self.client, config)

    def put_file(self, request: PutRequest, progress: Progress | None = None) -> None:
        self.put_files([request], progress, jobs=8)

    def put_files(self, requests: Iterable[PutRequest], progress: Progress | None = None,
                  jobs: int = 8) -> None:
        """All files through one TransferManager, so small and multipart uploads overlap."""
        items = list(requests)
        if not items:
            return
        subscribers = [_ProgressSubscriber(progress)] if progress else []
        failures: list[tuple[str, Exception]] = []
        with self._manager(jobs) as manager:
            futures = [
                (r.key, manager.upload(str(r.path), self.bucket, self.full_key(r.key),
                                       extra_args=_extra_args(r), subscribers=subscribers))
                for r in items
            ]
            for key, future in futures:
                try:
                    future.result()
                except Exception as error:
                    failures.append((key, error))
        if failures:
            first_key, first = failures[0]
            with mapped(self.endpoint, self.bucket, first_key):
                raise first

    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        import hashlib

        meta = {**(metadata or {}), "sha256": hashlib.sha256(data).hexdigest()}
        with mapped(self.endpoint, self.bucket, key):
            self.client.put_object(Bucket=self.bucket, Key=self.full_key(key), Body=data,
                                   ContentType=content_type, Metadata=meta, IfNoneMatch="*")

    def head(self, key: str) -> ObjectInfo | None:
        from botocore.exceptions import ClientError

        with mapped(self.endpoint, self.bucket, key):
            try:
                reply = self.client.head_object(Bucket=self.bucket, Key=self.full_key(key))
            except ClientError as exc:
                if error_code(exc) not in MISSING_CODES:
                    raise
                self._check_bucket_once()
                return None
        # Some servers (rclone serve s3) answer with capitalised metadata names.
        meta = {str(k).lower(): str(v) for k, v in (reply.get("Metadata") or {}).items()}
        return ObjectInfo(key=key, size=int(reply["ContentLength"]), sha256=meta.get("sha256"),
                          content_type=reply.get("ContentType"), metadata=meta,
                          etag_md5=_plain_md5(reply))

    def _check_bucket_once(self) -> None:
        """A HEAD 404 cannot tell a missing key from a missing bucket; ask once."""
        from botocore.exceptions import ClientError

        if self._bucket_checked:
            return
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if error_code(exc) in MISSING_CODES | {"NoSuchBucket"}:
                raise bucket_missing(self.endpoint, self.bucket) from None
            raise
        self._bucket_checked = True

    def download(self, key: str, dest: Path, progress: Progress | None = None) -> None:
        subscribers = [_ProgressSubscriber(progress)] if progress else []
        with mapped(self.endpoint, self.bucket, key), self._manager(8) as manager:
            future = manager.download(self.bucket, self.full_key(key), str(dest),
                                      subscribers=subscribers)
            future.result()

    def iter_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        base = f"{self.prefix}/" if self.prefix else ""
        with mapped(self.endpoint, self.bucket):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=base + prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    yield ObjectInfo(key=item["Key"][len(base):], size=int(item["Size"]))

    def delete(self, key: str) -> None:
        with mapped(self.endpoint, self.bucket, key):
            self.client.delete_object(Bucket=self.bucket, Key=self.full_key(key))


def _env_attempts() -> int | None:
    """boto3's own AWS_MAX_ATTEMPTS knob, which an explicit Config would otherwise shadow."""
    value = os.environ.get("AWS_MAX_ATTEMPTS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _extra_args(request: PutRequest) -> dict[str, Any]:
    args: dict[str, Any] = {
        "ContentType": request.content_type,
        "Metadata": {**request.metadata, "sha256": request.sha256},
    }
    if md5 := _single_part_md5(request.path):
        args["Metadata"]["md5"] = md5  # what the ETag must be: `offload verify` compares them
    if request.immutable:
        args["CacheControl"] = IMMUTABLE_CACHE_CONTROL
    return args


def _single_part_md5(path: Path) -> str | None:
    """MD5 of a file small enough to go up in one part (its ETag will be this MD5)."""
    try:
        if path.stat().st_size >= MULTIPART_THRESHOLD:
            return None
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "md5").hexdigest()
    except OSError:
        return None  # the upload itself will report the file


def _plain_md5(reply: Mapping[str, Any]) -> str | None:
    """The ETag when it is the MD5 of the bytes: one part, no KMS or customer-key encryption."""
    etag = str(reply.get("ETag") or "").strip('"').lower()
    encrypted = reply.get("SSECustomerAlgorithm") or reply.get("ServerSideEncryption") == "aws:kms"
    plain = len(etag) == 32 and all(c in "0123456789abcdef" for c in etag)
    return etag if plain and not encrypted else None


class _ProgressSubscriber:
    """s3transfer calls ``on_progress`` from its worker threads; byte_progress is thread-safe."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def on_progress(self, future: object, bytes_transferred: int, **kwargs: object) -> None:
        self._progress(bytes_transferred)
