"""The S3 backend against ``rclone serve s3`` over TLS, and conditional create on both servers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from offload.config.model import S3Settings
from offload.errors import ObjectExistsError
from offload.store.base import PutRequest
from offload.store.s3 import S3Backend
from testing.servers import S3Server


def backend(server: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch) -> S3Backend:
    if server.ca_bundle:
        monkeypatch.setenv("AWS_CA_BUNDLE", server.ca_bundle)
    return S3Backend(bucket, "prod", S3Settings(endpoint_url=server.endpoint_url),
                     access_key=server.access_key, secret_key=server.secret_key)


def test_offload_defaults_work_over_tls(rclone_s3: S3Server, rclone_bucket: str,
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rclone_s3.endpoint_url.startswith("https://")
    data = b"\x89PNG frame" * 5000
    source = tmp_path / "frame.png"
    source.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    store = backend(rclone_s3, rclone_bucket, monkeypatch)
    store.put_file(PutRequest("shots/frame.png", source, digest, "image/png"))
    assert rclone_s3.root is not None
    assert (rclone_s3.root / rclone_bucket / "prod/shots/frame.png").read_bytes() == data
    info = store.head("shots/frame.png")
    assert info is not None and info.sha256 == digest and info.size == len(data)
    assert store.get_file("shots/frame.png", tmp_path / "back.png", digest) == digest


def test_boto3_default_checksums_break_rclone_serve(rclone_s3: S3Server, rclone_bucket: str
                                                    ) -> None:
    """boto3's default (when_supported) sends an aws-chunked body with a checksum trailer."""
    import boto3
    from botocore.exceptions import ClientError

    client = boto3.client("s3", endpoint_url=rclone_s3.endpoint_url, region_name="auto",
                          aws_access_key_id=rclone_s3.access_key,
                          aws_secret_access_key=rclone_s3.secret_key,
                          verify=rclone_s3.ca_bundle)
    with pytest.raises(ClientError) as failure:
        client.put_object(Bucket=rclone_bucket, Key="default.bin", Body=b"x" * 1000)
    assert failure.value.response["Error"]["Code"] == "MissingContentLength"
    assert rclone_s3.root is not None
    assert not (rclone_s3.root / rclone_bucket / "default.bin").exists()


@pytest.mark.parametrize("server_name", ["moto_s3", "rclone_s3"])
def test_conditional_create(server_name: str, request: pytest.FixtureRequest,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    if server_name == "rclone_s3":
        pytest.skip("rclone serve s3 ignores If-None-Match: * (it overwrites instead of "
                    "answering 412), so conditional create is only tested against moto")
    server: S3Server = request.getfixturevalue(server_name)
    bucket = f"claims-{server.port}"
    server.create_bucket(bucket)
    store = backend(server, bucket, monkeypatch)
    store.create_if_absent("characters/ada/v6.claim", b"agent-1", "text/plain")
    with pytest.raises(ObjectExistsError) as exists:
        store.create_if_absent("characters/ada/v6.claim", b"agent-2", "text/plain")
    assert "already exists" in exists.value.message
    info = store.head("characters/ada/v6.claim")
    assert info is not None and info.sha256 == hashlib.sha256(b"agent-1").hexdigest()
