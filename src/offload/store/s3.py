"""S3-compatible stores through boto3, with the defaults Cloudflare R2 needs (SPEC §2)."""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from offload.config.model import S3Settings
from offload.keys import validate_key
from offload.store.base import (
    IMMUTABLE_CACHE_CONTROL,
    Backend,
    ObjectInfo,
    Progress,
    PutRequest,
    file_finished,
    overwrite_refused,
)
from offload.store.multipart import MultipartLedger, announce_cancel, terminate_as_interrupt
from offload.store.redact import checked_endpoint, redact_url
from offload.store.s3_errors import (
    EXISTS_CODES,
    MISSING_CODES,
    bucket_missing,
    error_code,
    mapped,
)

if TYPE_CHECKING:
    from offload.store.rclone_conf import RcloneRemote

MIB = 1024 * 1024
MULTIPART_THRESHOLD = 64 * MIB
PART_SIZE = 16 * MIB  # s3transfer keeps every part this size except the last
EXPECT_CONTINUE_FROM = 8 * MIB  # smaller bodies are sent without waiting for `100 Continue`
MAX_ATTEMPTS = 5  # standard mode backs off exponentially: ~15 s at most before giving up


class S3Backend(Backend):
    """Objects at ``<prefix>/<key>`` in ``bucket``; credentials from boto3's chain unless given."""

    listing_beats_head = True
    md5_below = MULTIPART_THRESHOLD

    def __init__(self, bucket: str, prefix: str, settings: S3Settings, *,
                 access_key: str | None = None, secret_key: str | None = None,
                 session_token: str | None = None, endpoint_url: str | None = None,
                 max_attempts: int | None = None,
                 endpoint_setting: str = "s3.endpoint_url in offload.yaml") -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.settings = settings
        self.endpoint_url = endpoint_url or settings.endpoint_url
        if self.endpoint_url:
            checked_endpoint(self.endpoint_url, endpoint_setting)
        self.max_attempts = max_attempts or _env_attempts() or MAX_ATTEMPTS
        self._credentials = (access_key, secret_key, session_token)
        self._client: Any = None
        self._lock = threading.Lock()
        self._bucket_checked = False
        self._conditional: set[str] = set()
        self._ledger = MultipartLedger()
        self.endpoint = redact_url(self.endpoint_url) if self.endpoint_url else "AWS S3"
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
        setting = "s3.endpoint_url in offload.yaml" if settings.endpoint_url else \
            f"endpoint of rclone remote [{remote.name}] in {remote.source}"
        if remote.env_auth:
            return cls(bucket, prefix, merged, endpoint_setting=setting)
        return cls(bucket, prefix, merged, access_key=remote.access_key_id,
                   secret_key=remote.secret_access_key, session_token=remote.session_token,
                   endpoint_setting=setting)

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
        client = session.client("s3", endpoint_url=self.endpoint_url, region_name=region,
                                config=config)
        for operation in ("PutObject", "CompleteMultipartUpload"):
            client.meta.events.register(f"before-parameter-build.s3.{operation}",
                                        self._add_condition)
        client.meta.events.register("before-parameter-build.s3.PutObject", _add_content_md5)
        send_small_bodies_at_once(client)
        self._ledger.install(client)
        return client

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
        """All files through one TransferManager, so small and multipart uploads overlap.

        A key that is not content-addressed is sent with ``If-None-Match: *`` (PutObject and
        CompleteMultipartUpload) after a HEAD; a 412 is fine when the object there is the same.
        The first failure cancels the rest (s3transfer then aborts their multipart uploads).
        """
        items = list(requests)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            present = list(pool.map(lambda r: not r.immutable and self.already_there(r), items))
        items = [r for r, there in zip(items, present, strict=True) if not there]
        if not items:
            return
        stale = self._ledger.stale(self.bucket)
        for request in items:
            if self.full_key(request.key) in stale:
                self._abort_stale_uploads(request, stale[self.full_key(request.key)])
        subscribers = [_ProgressSubscriber(progress)] if progress else []
        conditional = {self.full_key(r.key) for r in items if not r.immutable}
        with self._lock:
            self._conditional |= conditional
        try:
            with terminate_as_interrupt(), self._manager(jobs) as manager:
                try:
                    futures = [
                        (r, manager.upload(str(r.path), self.bucket, self.full_key(r.key),
                                           extra_args=_extra_args(r), subscribers=subscribers))
                        for r in items
                    ]
                    for request, future in futures:
                        self._settle(request, future)
                except KeyboardInterrupt:
                    announce_cancel()
                    raise
        finally:
            with self._lock:
                self._conditional -= conditional

    def _settle(self, request: PutRequest, future: Any) -> None:
        """Wait for one upload; a lost conditional race is fine when the content is the same."""
        try:
            future.result()
        except Exception as error:
            inner = getattr(error, "last_exception", None) or error
            if not request.immutable and error_code(inner) in EXISTS_CODES:
                if not self.already_there(request):
                    raise overwrite_refused(request.key, None) from None
                return
            with mapped(self.endpoint, self.bucket, request.key):
                raise error

    def _abort_stale_uploads(self, request: PutRequest, stale: set[str]) -> None:
        """Abort multipart uploads of this key that a killed offload left behind."""
        full = self.full_key(request.key)
        with mapped(self.endpoint, self.bucket, request.key):
            listed = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=full)
            for upload in listed.get("Uploads", ()):
                if upload.get("Key") == full and upload.get("UploadId") in stale:
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=full,
                                                       UploadId=upload["UploadId"])
        for upload_id in stale:
            self._ledger.finished(upload_id)

    def _add_condition(self, params: dict[str, Any], **kwargs: Any) -> None:
        if params.get("Key") in self._conditional:
            params["IfNoneMatch"] = "*"

    def create_if_absent(self, key: str, data: bytes, content_type: str,
                         metadata: Mapping[str, str] | None = None) -> None:
        meta = {**(metadata or {}), "sha256": hashlib.sha256(data).hexdigest(),
                "md5": hashlib.md5(data).hexdigest()}
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
    metadata = {k: v for k, v in request.metadata.items() if k != "md5"}  # offload's own field
    args: dict[str, Any] = {
        "ContentType": request.content_type,
        "Metadata": {**metadata, "sha256": request.sha256},
    }
    if md5 := _single_part_md5(request):
        args["Metadata"]["md5"] = md5  # what the ETag must be: `offload verify` compares them
    if request.immutable:
        args["CacheControl"] = IMMUTABLE_CACHE_CONTROL
    return args


def _single_part_md5(request: PutRequest) -> str | None:
    """MD5 of a file small enough to go up in one part (its ETag will be this MD5)."""
    try:
        if request.path.stat().st_size >= MULTIPART_THRESHOLD:
            return None
        if request.md5:
            return request.md5
        with open(request.path, "rb") as handle:
            return hashlib.file_digest(handle, "md5").hexdigest()
    except OSError:
        return None  # the upload itself will report the file


def _add_content_md5(params: dict[str, Any], **kwargs: Any) -> None:
    """A one-request upload carries the MD5 of its bytes: the store refuses what arrives
    damaged or changed (BadDigest), and over TLS botocore need not hash the body again."""
    md5 = (params.get("Metadata") or {}).get("md5")
    if md5 and "ContentMD5" not in params:
        params["ContentMD5"] = base64.b64encode(bytes.fromhex(md5)).decode("ascii")


def send_small_bodies_at_once(client: Any) -> None:
    """Only bodies from EXPECT_CONTINUE_FROM up wait for `100 Continue` (bench/s3floor.py
    sends the same way, so its floor is offload's)."""
    client.meta.events.register_last("before-call.s3", _expect_continue_for_large_bodies)


def _expect_continue_for_large_bodies(params: dict[str, Any], **kwargs: Any) -> None:
    """botocore waits for `100 Continue` before every file body it sends: a round trip per
    object (s3transfer sending 5,000 objects of 50 KiB-8 MiB to SeaweedFS on 127.0.0.1: 38 s
    with it, 29-34 s without; more over a real link). Below EXPECT_CONTINUE_FROM a refused body
    wastes less than the waits cost, and generated frames are mostly that size; larger bodies,
    multipart parts among them, still ask first. The AWS SDKs for Go and Kotlin draw this
    line at 2 MB."""
    from botocore.utils import determine_content_length

    headers = params.get("headers") or {}
    if headers.get("Expect") != "100-continue":
        return
    length = determine_content_length(params.get("body"))
    if length is not None and length < EXPECT_CONTINUE_FROM:
        del headers["Expect"]


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

    def on_done(self, future: object, **kwargs: object) -> None:
        file_finished(self._progress)
