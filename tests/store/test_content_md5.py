"""A one-request upload carries the MD5 of its bytes: each real server refuses bytes that do
not match, and over TLS botocore then sends the body without hashing it a second time."""

from __future__ import annotations

import base64
import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest

from offload.config.model import S3Settings
from offload.errors import StoreError
from offload.store.base import PutRequest, file_digests
from offload.store.s3 import S3Backend
from testing.servers import S3Server

SERVERS = ["moto_s3", "seaweedfs_s3", "rclone_s3"]


def backend(server: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch) -> S3Backend:
    if server.ca_bundle:
        monkeypatch.setenv("AWS_CA_BUNDLE", server.ca_bundle)
    return S3Backend(bucket, "prod", S3Settings(endpoint_url=server.endpoint_url),
                     access_key=server.access_key, secret_key=server.secret_key, max_attempts=1)


def sent_headers(store: S3Backend) -> list[dict[str, str]]:
    """The headers of every PutObject request the store's client sends from now on."""
    seen: list[dict[str, str]] = []

    def record(request: Any, **kwargs: Any) -> None:
        seen.append({k.lower(): v.decode() if isinstance(v, bytes) else str(v)
                     for k, v in request.headers.items()})

    store.client.meta.events.register("before-send.s3.PutObject", record)
    return seen


def frame(tmp_path: Path, name: str = "frame.png") -> tuple[Path, bytes]:
    data = b"\x89PNG frame " + bytes(range(256)) * 300
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def hashed_frame(name: str, request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> tuple[S3Server, S3Backend, Path, bytes,
                                                           str, str | None]:
    """A fresh bucket on the server named, its store, and a frame with its two digests."""
    server: S3Server = request.getfixturevalue(name)
    bucket = f"md5-{uuid.uuid4().hex[:16]}"
    server.create_bucket(bucket)
    path, data = frame(tmp_path)
    return (server, backend(server, bucket, monkeypatch), path, data,
            *file_digests(path, with_md5=True))


@pytest.mark.parametrize("server_name", SERVERS)
def test_an_upload_names_the_md5_of_its_bytes(server_name: str, request: pytest.FixtureRequest,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    server, store, path, data, sha256, md5 = hashed_frame(server_name, request, tmp_path,
                                                          monkeypatch)
    assert (sha256, md5) == (hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest())
    headers = sent_headers(store)
    store.put_file(PutRequest("shots/frame.png", path, sha256, "image/png", md5=md5))
    assert headers[-1]["content-md5"] == base64.b64encode(hashlib.md5(data).digest()).decode()
    over_tls = server.endpoint_url.startswith("https://")
    # with TLS and Content-MD5 botocore leaves the body unsigned; plain HTTP signs it
    assert headers[-1]["x-amz-content-sha256"] == ("UNSIGNED-PAYLOAD" if over_tls else sha256)
    info = store.head("shots/frame.png")
    assert info is not None and info.sha256 == sha256 and info.metadata.get("md5") == md5
    assert store.get_file("shots/frame.png", tmp_path / "back.png", sha256) == sha256


@pytest.mark.parametrize("server_name", ["seaweedfs_s3", "rclone_s3"])  # moto checks no MD5
def test_bytes_that_differ_from_their_md5_are_refused(server_name: str,
                                                      request: pytest.FixtureRequest,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The file changed after it was hashed (or the bytes were damaged on the way)."""
    _server, store, path, data, sha256, md5 = hashed_frame(server_name, request, tmp_path,
                                                           monkeypatch)
    path.write_bytes(data[:-1] + b"!")  # same size, other bytes
    with pytest.raises(StoreError) as refused:
        store.put_file(PutRequest("shots/frame.png", path, sha256, "image/png", md5=md5))
    assert "changed while it was sent" in refused.value.message
    assert "rerun" in refused.value.next_step
    assert store.head("shots/frame.png") is None


def test_caller_metadata_cannot_name_the_md5(moto_s3: S3Server, s3_bucket: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = backend(moto_s3, s3_bucket, monkeypatch)
    path, data = frame(tmp_path)
    sha256 = hashlib.sha256(data).hexdigest()
    store.put_file(PutRequest("shots/frame.png", path, sha256, "image/png",
                              metadata={"md5": "0" * 32}))
    info = store.head("shots/frame.png")
    assert info is not None and info.metadata.get("md5") == hashlib.md5(data).hexdigest()
