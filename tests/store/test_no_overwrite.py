"""Keys without a content hash are created only if absent: nothing overwrites another version."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from offload.config.model import S3Settings
from offload.errors import ExitCode, ObjectExistsError
from offload.store.base import IMMUTABLE_CACHE_CONTROL, Backend, PutRequest
from offload.store.local import LocalBackend
from offload.store.s3 import EXPECT_CONTINUE_FROM, S3Backend
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server


def configure(repo: GitRepo, store: str, template: str, endpoint: str | None = None) -> None:
    lines = [f"store: {store}", f'key_template: "{template}"']
    if endpoint:
        lines.append(f"s3: {{endpoint_url: \"{endpoint}\"}}")
    repo.write("offload.yaml", "\n".join(lines) + "\n")


def object_bytes(server: S3Server, bucket: str, key: str) -> Any:
    client: Any = server.client()
    return client.get_object(Bucket=bucket, Key=key)


def test_path_template_never_overwrites_across_clones(tmp_path: Path,
                                                      enforcing_s3: tuple[S3Server, str]) -> None:
    s3, bucket = enforcing_s3
    first, second = GitRepo(tmp_path / "one"), GitRepo(tmp_path / "two")
    for repo in (first, second):
        configure(repo, f"s3://{bucket}/prod", "{path}", s3.endpoint_url)
    v1 = b"\x89PNG" + os.urandom(3000)
    first.write("shots/hero.png", v1)
    assert run_offload("put", "shots", cwd=first.path, env=s3.env()).rc == 0

    second.write("shots/hero.png", b"\x89PNG" + os.urandom(3000))
    clash = run_offload("put", "shots", cwd=second.path, env=s3.env())
    assert clash.rc == ExitCode.FINDINGS, clash.output
    assert "shots/hero.png already holds other content" in clash.stderr
    assert "nothing was overwritten" in clash.stderr and "next:" in clash.stderr
    assert not (second.path / "offload.lock").exists()
    stored = object_bytes(s3, bucket, "prod/shots/hero.png")
    assert stored["Body"].read() == v1 and "CacheControl" not in stored

    second.write("shots/hero.png", v1)  # the same content at the same key is fine
    same = run_offload("put", "shots", cwd=second.path, env=s3.env())
    assert same.rc == 0, same.output


def test_conditional_create_closes_the_race(enforcing_s3: tuple[S3Server, str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer lands between the HEAD and the PUT: If-None-Match: * must refuse it."""
    s3, bucket = enforcing_s3
    store = S3Backend(bucket, "race", S3Settings(endpoint_url=s3.endpoint_url),
                      access_key=s3.access_key, secret_key=s3.secret_key)
    ours, theirs = request_for(tmp_path / "ours", b"ours"), request_for(tmp_path / "t", b"their")
    store.put_file(theirs)
    blind_first_head(monkeypatch)
    with pytest.raises(ObjectExistsError, match=r"shots/v1\.png already holds other content"):
        store.put_file(ours)
    assert object_bytes(s3, bucket, "race/shots/v1.png")["Body"].read() == b"their"
    blind_first_head(monkeypatch)
    store.put_file(theirs)  # a lost race against identical content is a success


def test_a_body_sent_without_waiting_is_still_refused_cleanly(
        enforcing_s3: tuple[S3Server, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The largest body that goes without `Expect: 100-continue` meets a 412 while it is
    still being sent: the refusal must read as the refusal, not as a broken connection."""
    s3, bucket = enforcing_s3
    store = S3Backend(bucket, "big", S3Settings(endpoint_url=s3.endpoint_url),
                      access_key=s3.access_key, secret_key=s3.secret_key)
    store.put_file(request_for(tmp_path / "t", b"their"))
    blind_first_head(monkeypatch)
    with pytest.raises(ObjectExistsError, match=r"already holds other content"):
        store.put_file(request_for(tmp_path / "ours", os.urandom(EXPECT_CONTINUE_FROM - 1)))
    assert object_bytes(s3, bucket, "big/shots/v1.png")["Body"].read() == b"their"


def test_multipart_upload_is_conditional_too(moto_s3: S3Server, s3_bucket: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("offload.store.s3.MULTIPART_THRESHOLD", 8 * 1024 * 1024)
    monkeypatch.setattr("offload.store.s3.PART_SIZE", 5 * 1024 * 1024)
    store = S3Backend(s3_bucket, "mp", S3Settings(endpoint_url=moto_s3.endpoint_url),
                      access_key=moto_s3.access_key, secret_key=moto_s3.secret_key)
    store.put_file(request_for(tmp_path / "small", b"small"))
    blind_first_head(monkeypatch)
    with pytest.raises(ObjectExistsError):
        store.put_file(request_for(tmp_path / "big", os.urandom(11 * 1024 * 1024)))
    assert object_bytes(moto_s3, s3_bucket, "mp/shots/v1.png")["Body"].read() == b"small"
    client: Any = moto_s3.client()
    uploads = client.list_multipart_uploads(Bucket=s3_bucket)
    assert not uploads.get("Uploads")


def test_local_store_creates_exclusively(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    store = LocalBackend(tmp_path / "store")
    store.put_file(request_for(tmp_path / "theirs", b"theirs"))
    blind_first_head(monkeypatch)
    with pytest.raises(ObjectExistsError):
        store.put_file(request_for(tmp_path / "ours", b"ours"))
    assert (tmp_path / "store" / "shots" / "v1.png").read_bytes() == b"theirs"
    assert not list((tmp_path / "store" / "shots").glob(".tmp-offload-*"))


def test_local_store_path_template_across_clones(tmp_path: Path) -> None:
    shared = tmp_path / "shared-store"
    first, second = GitRepo(tmp_path / "one"), GitRepo(tmp_path / "two")
    for repo in (first, second):
        configure(repo, str(shared), "{dir}/{name}")
    first.write("shots/hero.png", b"first")
    second.write("shots/hero.png", b"second")
    assert run_offload("put", "shots", cwd=first.path).rc == 0
    clash = run_offload("put", "shots", cwd=second.path)
    assert clash.rc == ExitCode.FINDINGS and "already holds other content" in clash.stderr
    assert (shared / "shots" / "hero.png").read_bytes() == b"first"


@pytest.mark.parametrize("template", ["{dir}/{stem}.{sha256:0}{ext}", "{path}.{sha256:7}"])
def test_short_hash_templates_are_refused(repo: GitRepo, template: str) -> None:
    configure(repo, "store", template)
    repo.write("shots/a.png", b"a")
    result = run_offload("put", "shots", cwd=repo.path)
    assert result.rc == ExitCode.CONFIG, result.output
    assert "sha256:8" in result.stderr and "next:" in result.stderr


def test_content_addressed_keys_stay_immutable(moto_s3: S3Server, s3_bucket: str,
                                               repo: GitRepo) -> None:
    configure(repo, f"s3://{s3_bucket}/prod", "{path}.{sha256:8}", moto_s3.endpoint_url)
    repo.write("a.png", b"content")
    result = run_offload("put", "a.png", "--json", cwd=repo.path, env=moto_s3.env())
    assert result.rc == 0, result.output
    stored = object_bytes(moto_s3, s3_bucket, "prod/" + result.json()["items"][0]["key"])
    assert stored["CacheControl"] == IMMUTABLE_CACHE_CONTROL


def blind_first_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first check sees a free key (the other writer has not landed yet); later ones see."""
    real = Backend.already_there
    calls: list[int] = []

    def already_there(self: Backend, request: PutRequest) -> bool:
        calls.append(1)
        return False if len(calls) == 1 else real(self, request)

    monkeypatch.setattr(Backend, "already_there", already_there)


def request_for(path: Path, data: bytes) -> PutRequest:
    path.write_bytes(data)
    return PutRequest("shots/v1.png", path, hashlib.sha256(data).hexdigest(), "image/png",
                      immutable=False)


def test_rclone_transport_checks_before_writing(tmp_path: Path, rclone_s3: S3Server,
                                                rclone_bucket: str) -> None:
    """rclone has no conditional create: a HEAD first, and a warning that a race remains."""
    conf = tmp_path / "rclone.conf"
    conf.write_text(f"[srv]\ntype = s3\nprovider = Rclone\nendpoint = {rclone_s3.endpoint_url}\n"
                    f"access_key_id = {rclone_s3.access_key}\n"
                    f"secret_access_key = {rclone_s3.secret_key}\n")
    env = {**rclone_s3.env(), "RCLONE_CONFIG": str(conf)}
    first, second = GitRepo(tmp_path / "one"), GitRepo(tmp_path / "two")
    for repo in (first, second):
        repo.write("offload.yaml", f"store: rclone:srv:{rclone_bucket}/prod\n"
                   "transport: rclone\nkey_template: \"{path}\"\n")
    first.write("shots/hero.png", b"first")
    second.write("shots/hero.png", b"second")
    put = run_offload("put", "shots", cwd=first.path, env=env)
    assert put.rc == 0, put.output
    assert "warning: `transport: rclone` has no conditional create" in put.stderr
    clash = run_offload("put", "shots", cwd=second.path, env=env)
    assert clash.rc == ExitCode.FINDINGS and "already holds other content" in clash.stderr
    assert rclone_s3.root is not None
    assert (rclone_s3.root / rclone_bucket / "prod" / "shots" / "hero.png").read_bytes() == b"first"
