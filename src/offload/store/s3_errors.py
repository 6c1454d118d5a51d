"""Turn botocore exceptions into OffloadErrors that name the next step and never a secret."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from offload.errors import ObjectExistsError, OffloadError, StoreError
from offload.store.redact import redact_text

CREDENTIAL_CODES = frozenset({
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden",
    "InvalidToken", "ExpiredToken", "InvalidClientTokenId", "AuthorizationHeaderMalformed",
})
EXISTS_CODES = frozenset({"PreconditionFailed", "412", "ConditionalRequestConflict"})
MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
DIGEST_CODES = frozenset({"BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"})


def error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    code = response.get("Error", {}).get("Code")
    if code:
        return str(code)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return str(status) if status else None


def translate(exc: BaseException, endpoint: str, bucket: str, key: str | None = None
              ) -> OffloadError | None:
    """The OffloadError for a botocore/s3transfer failure, or None when it is not one."""
    from botocore import exceptions as bce

    inner = getattr(exc, "last_exception", None)  # s3transfer's RetriesExceededError
    if isinstance(inner, BaseException):
        exc = inner
    if isinstance(exc, bce.NoCredentialsError | bce.PartialCredentialsError):
        return StoreError(
            f"no usable credentials for {endpoint}",
            "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or use an "
            "rclone remote (`store: rclone:REMOTE:bucket`)",
        )
    if isinstance(exc, bce.ConnectionError | bce.HTTPClientError):
        return StoreError(
            f"store unreachable: cannot connect to {endpoint} ({type(exc).__name__})",
            "check the network and `s3.endpoint_url` in offload.yaml (or the rclone remote's "
            "endpoint), then retry",
        )
    if isinstance(exc, bce.BotoCoreError):
        return StoreError(
            f"the store at {endpoint} failed: {redact_text(str(exc))[:300]}",
            "retry; if it persists, check `store:` and `s3:` in offload.yaml",
        )
    if not isinstance(exc, bce.ClientError):
        return None
    code = error_code(exc) or "unknown"
    if code == "NoSuchBucket":
        return bucket_missing(endpoint, bucket)
    if code in CREDENTIAL_CODES:
        return StoreError(
            f"{endpoint} refused the credentials ({code}) for bucket {bucket!r}",
            "check the access key id and secret (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the "
            "rclone remote) and that the token may read and write this bucket",
        )
    if code in EXISTS_CODES:
        return ObjectExistsError(
            f"{key or 'the object'} already exists in the store",
            "choose another key (or version); existing objects are never overwritten",
        )
    if code in DIGEST_CODES:
        return StoreError(
            f"the store received other bytes than {key or 'the file'} holds ({code}): the "
            "file changed while it was sent, or the bytes were damaged on the way; nothing "
            "was stored under that key",
            "make sure nothing writes the file any more, then rerun",
        )
    if code in MISSING_CODES:
        return StoreError(
            f"{key or 'the object'} is not in bucket {bucket!r} at {endpoint}",
            "run `offload verify` to list what is missing, then `offload put` it again",
        )
    return StoreError(
        f"the store at {endpoint} answered {code} for {key or bucket}",
        "retry; if it persists, check the bucket's settings and offload.yaml",
    )


def bucket_missing(endpoint: str, bucket: str) -> StoreError:
    return StoreError(
        f"bucket {bucket!r} does not exist at {endpoint}",
        f"create it (e.g. `aws s3 mb s3://{bucket} --endpoint-url {endpoint}`, "
        f"`rclone mkdir REMOTE:{bucket}` or the R2 dashboard) or fix `store:` in offload.yaml",
    )


@contextmanager
def mapped(endpoint: str, bucket: str, key: str | None = None) -> Iterator[None]:
    try:
        yield
    except OffloadError:
        raise
    except Exception as exc:
        error = translate(exc, endpoint, bucket, key)
        if error is None:
            raise
        raise error from None
