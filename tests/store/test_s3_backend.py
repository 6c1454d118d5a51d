"""S3Backend against the real moto server."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from offload.config.model import S3Settings
from offload.errors import IntegrityError, ObjectExistsError, StoreError
from offload.store.base import IMMUTABLE_CACHE_CONTROL, PutRequest
from offload.store.s3 import PART_SIZE, S3Backend
from testing.servers import S3Server


def backend_for(server: S3Server, bucket: str, prefix: str = "prod",
                secret: str | None = None) -> S3Backend:
    return S3Backend(bucket, prefix, S3Settings(endpoint_url=server.endpoint_url),
                     access_key=server.access_key, secret_key=secret or server.secret_key,
                     max_attempts=2)


def write(path: Path, data: bytes) -> PutRequest:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return PutRequest(key=f"img/{path.name}", path=path, sha256=hashlib.sha256(data).hexdigest(),
                      content_type="image/png")


def test_put_head_get_list_delete(moto_s3: S3Server, s3_bucket: str, tmp_path: Path) -> None:
    store = backend_for(moto_s3, s3_bucket)
    request = write(tmp_path / "a b.png", b"\x89PNG" + os.urandom(1000))
    store.put_file(request)
    raw = moto_s3.client().head_object(  # type: ignore[attr-defined]
        Bucket=s3_bucket, Key="prod/img/a b.png")
    assert raw["CacheControl"] == IMMUTABLE_CACHE_CONTROL
    assert raw["Metadata"]["sha256"] == request.sha256
    info = store.head("img/a b.png")
    assert info is not None and info.size == 1004 and info.sha256 == request.sha256
    assert info.content_type == "image/png"
    assert store.head("img/absent.png") is None
    assert [o.key for o in store.iter_objects()] == ["img/a b.png"]
    assert store.get_file("img/a b.png", tmp_path / "out.png", request.sha256) == request.sha256
    store.delete("img/a b.png")
    assert not store.exists("img/a b.png")


def test_multipart_parts_are_equal_size(moto_s3: S3Server, s3_bucket: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("offload.store.s3.MULTIPART_THRESHOLD", 8 * 1024 * 1024)
    data = os.urandom(PART_SIZE * 2 + 12345)
    request = write(tmp_path / "big.bin", data)
    store = backend_for(moto_s3, s3_bucket)
    seen: list[int] = []
    store.put_files([request], seen.append)
    assert sum(seen) == len(data)
    client = moto_s3.client()
    sizes = [
        client.head_object(  # type: ignore[attr-defined]
            Bucket=s3_bucket, Key="prod/img/big.bin", PartNumber=n)["ContentLength"]
        for n in (1, 2, 3)
    ]
    assert sizes == [PART_SIZE, PART_SIZE, 12345]
    assert store.get_file("img/big.bin", tmp_path / "back.bin", request.sha256)


def test_conditional_create_reports_exists(moto_s3: S3Server, s3_bucket: str) -> None:
    store = backend_for(moto_s3, s3_bucket)
    store.create_if_absent("claims/v6", b"mine", "text/plain")
    with pytest.raises(ObjectExistsError, match="already exists"):
        store.create_if_absent("claims/v6", b"theirs", "text/plain")
    info = store.head("claims/v6")
    assert info is not None and info.sha256 == hashlib.sha256(b"mine").hexdigest()


def test_sha256_mismatch_leaves_nothing(moto_s3: S3Server, s3_bucket: str, tmp_path: Path
                                        ) -> None:
    store = backend_for(moto_s3, s3_bucket)
    request = write(tmp_path / "x.png", b"real content")
    store.put_file(request)
    out = tmp_path / "dl"
    with pytest.raises(IntegrityError, match="sha256"):
        store.get_file("img/x.png", out / "x.png", "0" * 64)
    assert list(out.iterdir()) == []


def test_missing_bucket_is_named(moto_s3: S3Server) -> None:
    store = backend_for(moto_s3, "no-such-bucket-here")
    with pytest.raises(StoreError, match=r"no-such-bucket-here.*does not exist") as err:
        store.head("a.png")
    assert "create it" in err.value.next_step


def test_unreachable_names_endpoint(tmp_path: Path, closed_port: int) -> None:

    endpoint = f"http://127.0.0.1:{closed_port}"
    store = S3Backend("b", "", S3Settings(endpoint_url=endpoint), access_key="k",
                      secret_key="s", max_attempts=1)
    with pytest.raises(StoreError, match="unreachable") as err:
        store.head("a.png")
    assert endpoint in err.value.message


def test_description_and_repr_hide_secret(moto_s3: S3Server, s3_bucket: str) -> None:
    store = backend_for(moto_s3, s3_bucket, secret="very-secret-value-123")
    assert "very-secret-value-123" not in repr(store)
    assert "very-secret-value-123" not in store.description
