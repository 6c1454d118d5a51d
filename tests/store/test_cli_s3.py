"""End to end through the real CLI against real S3 servers: the good path and bad inputs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server

PUBLIC = "https://cdn.example.test/prod"


def configure(repo: GitRepo, store: str, endpoint: str | None, public: str | None = PUBLIC
              ) -> None:
    lines = [f"store: {store}"]
    if public:
        lines.append(f"public_url: {public}")
    if endpoint:
        lines.append(f"s3: {{endpoint_url: \"{endpoint}\"}}")
    repo.write("offload.yaml", "\n".join(lines) + "\n")


def image(repo: GitRepo, rel: str = "shots/frame 01.png", size: int = 20000) -> bytes:
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(size)
    repo.write(rel, data)
    return data


def test_put_verify_get_url(repo: GitRepo, moto_s3: S3Server, s3_bucket: str) -> None:
    configure(repo, f"s3://{s3_bucket}/prod", moto_s3.endpoint_url)
    data = image(repo)
    env = moto_s3.env()
    put = run_offload("put", "shots", "--json", cwd=repo.path, env=env)
    assert put.rc == 0, put.output
    [entry] = put.json()["items"]
    assert entry["url"].startswith(PUBLIC + "/shots/frame%2001.")
    obj = moto_s3.client().get_object(  # type: ignore[attr-defined]
        Bucket=s3_bucket, Key=f"prod/{entry['key']}")
    assert obj["Body"].read() == data and obj["ContentType"] == "image/png"
    assert run_offload("verify", cwd=repo.path, env=env).rc == 0
    got = run_offload("get", "shots/frame 01.png", "-o", "out", cwd=repo.path, env=env)
    assert got.rc == 0, got.output
    assert (repo.path / "out" / "frame 01.png").read_bytes() == data
    url = run_offload("url", "shots/frame 01.png", cwd=repo.path, env=env)
    assert url.stdout.strip() == entry["url"]


def test_store_unreachable(repo: GitRepo, moto_s3: S3Server, closed_port: int) -> None:
    endpoint = f"http://127.0.0.1:{closed_port}"
    configure(repo, "s3://assets/prod", endpoint)
    image(repo)
    result = run_offload("put", "shots", cwd=repo.path,
                         env={**moto_s3.env(), "AWS_MAX_ATTEMPTS": "2"})
    assert result.rc == ExitCode.STORE, result.output
    assert "unreachable" in result.stderr and endpoint in result.stderr
    assert "next:" in result.stderr
    assert not (repo.path / "offload.lock").exists()
    assert (repo.path / "shots" / "frame 01.png").exists()


def test_wrong_credentials_never_print_the_secret(repo: GitRepo, rclone_s3: S3Server,
                                                  rclone_bucket: str) -> None:
    secret = "Sup3r-Secret-Value-That-Must-Not-Leak"
    configure(repo, f"s3://{rclone_bucket}/prod", rclone_s3.endpoint_url)
    image(repo)
    env = {**rclone_s3.env(), "AWS_SECRET_ACCESS_KEY": secret}
    for args in (("put", "shots"), ("put", "shots", "--json")):
        result = run_offload(*args, cwd=repo.path, env=env)
        assert result.rc == ExitCode.STORE, result.output
        assert "credentials" in result.stderr
        assert secret not in result.stdout and secret not in result.stderr
    assert not (repo.path / "offload.lock").exists()


def test_bucket_missing(repo: GitRepo, moto_s3: S3Server) -> None:
    configure(repo, "s3://no-such-bucket/prod", moto_s3.endpoint_url)
    image(repo)
    result = run_offload("put", "shots", cwd=repo.path, env=moto_s3.env())
    assert result.rc == ExitCode.STORE, result.output
    assert "no-such-bucket" in result.stderr and "create it" in result.stderr
    assert not (repo.path / "offload.lock").exists()


def test_unknown_rclone_remote(repo: GitRepo, tmp_path: Path) -> None:
    conf = tmp_path / "rclone.conf"
    conf.write_text("[r2]\ntype = s3\nprovider = Cloudflare\n\n[backup]\ntype = s3\n")
    configure(repo, "rclone:nosuch:bucket/prod", None)
    image(repo)
    result = run_offload("put", "shots", cwd=repo.path, env={"RCLONE_CONFIG": str(conf)})
    assert result.rc == ExitCode.CONFIG, result.output
    assert "nosuch" in result.stderr and "backup, r2" in result.stderr
    assert "rclone config" in result.stderr


def test_public_url_missing_for_remote_store(repo: GitRepo, moto_s3: S3Server,
                                             s3_bucket: str) -> None:
    configure(repo, f"s3://{s3_bucket}", moto_s3.endpoint_url, public=None)
    image(repo)
    put = run_offload("put", "shots", cwd=repo.path, env=moto_s3.env())
    assert put.rc == 0, put.output
    result = run_offload("url", "shots/frame 01.png", cwd=repo.path, env=moto_s3.env())
    assert result.rc == ExitCode.CONFIG, result.output
    assert "public_url" in result.stderr and "OFFLOAD_PUBLIC_URL" in result.stderr


def test_sha256_mismatch_on_get_leaves_no_file(repo: GitRepo, moto_s3: S3Server,
                                               s3_bucket: str) -> None:
    configure(repo, f"s3://{s3_bucket}/prod", moto_s3.endpoint_url)
    image(repo)
    env = moto_s3.env()
    assert run_offload("put", "shots", cwd=repo.path, env=env).rc == 0
    entry = json.loads((repo.path / "offload.lock").read_text().splitlines()[0])
    moto_s3.client().put_object(  # type: ignore[attr-defined]
        Bucket=s3_bucket, Key=f"prod/{entry['key']}", Body=b"tampered",
        Metadata={"sha256": entry["sha256"]})
    result = run_offload("get", "shots/frame 01.png", "-o", "out", cwd=repo.path, env=env)
    assert result.rc == ExitCode.FINDINGS, result.output
    assert "sha256" in result.stderr
    out = repo.path / "out"
    assert not out.exists() or list(out.iterdir()) == []


def test_file_changing_mid_upload_is_not_recorded(repo: GitRepo, moto_s3: S3Server,
                                                  s3_bucket: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from offload.errors import IntegrityError
    from offload.ops.put import put_paths
    from offload.store.s3 import S3Backend
    from offload.workspace import Workspace

    configure(repo, f"s3://{s3_bucket}/prod", moto_s3.endpoint_url)
    image(repo, "shots/steady.png")
    moving = repo.path / "shots" / "moving.png"
    image(repo, "shots/moving.png")
    for name, value in moto_s3.env().items():
        monkeypatch.setenv(name, value)
    original = S3Backend.put_files

    def put_while_writing(self: S3Backend, *args: object, **kwargs: object) -> None:
        with open(moving, "ab") as handle:
            handle.write(b"still rendering")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(S3Backend, "put_files", put_while_writing)
    ws = Workspace.discover(repo.path)
    with pytest.raises(IntegrityError, match=r"moving\.png"):
        put_paths(ws, [repo.path / "shots"])
    recorded = [json.loads(line)["path"] for line in
                (repo.path / "offload.lock").read_text().splitlines()]
    assert recorded == ["shots/steady.png"]
    keys = [o.key for o in ws.backend.iter_objects()]
    assert not any("moving" in k for k in keys)
    data = (repo.path / "shots" / "steady.png").read_bytes()
    assert any(hashlib.sha256(data).hexdigest()[:12] in k for k in keys)


@pytest.mark.parametrize("transport", ["boto3", "rclone"])
def test_rclone_remote_store(repo: GitRepo, rclone_s3: S3Server, rclone_bucket: str,
                             tmp_path: Path, transport: str) -> None:
    conf = tmp_path / "rclone.conf"
    conf.write_text(
        f"[srv]\ntype = s3\nprovider = Rclone\nendpoint = {rclone_s3.endpoint_url}\n"
        f"access_key_id = {rclone_s3.access_key}\nsecret_access_key = {rclone_s3.secret_key}\n"
    )
    configure(repo, f"rclone:srv:{rclone_bucket}/prod", None)
    with open(repo.path / "offload.yaml", "a") as handle:
        handle.write(f"transport: {transport}\n")
    data = image(repo)
    env = {"RCLONE_CONFIG": str(conf), "AWS_CA_BUNDLE": str(rclone_s3.ca_bundle),
           "RCLONE_CA_CERT": str(rclone_s3.ca_bundle)}
    put = run_offload("put", "shots", "--json", cwd=repo.path, env=env)
    assert put.rc == 0, put.output
    [entry] = put.json()["items"]
    assert rclone_s3.root is not None
    assert (rclone_s3.root / rclone_bucket / "prod" / entry["key"]).read_bytes() == data
    assert run_offload("verify", cwd=repo.path, env=env).rc == 0
    got = run_offload("get", "shots/frame 01.png", "-o", "out", cwd=repo.path, env=env)
    assert got.rc == 0, got.output
    assert (repo.path / "out" / "frame 01.png").read_bytes() == data
    assert rclone_s3.secret_key not in put.output + got.output
