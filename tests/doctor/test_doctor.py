"""offload doctor through the real CLI: local store, moto, rclone serve s3, a closed port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from offload import __version__
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server


def statuses(payload: dict[str, Any]) -> dict[str, str]:
    return {c["name"]: c["status"] for c in payload["checks"]}


def configure_s3(repo: GitRepo, bucket: str, endpoint: str, public: str | None = None) -> None:
    lines = [f"store: s3://{bucket}/prod", f's3: {{endpoint_url: "{endpoint}"}}']
    if public:
        lines.append(f"public_url: {public}")
    repo.write("offload.yaml", "\n".join(lines) + "\n")


def test_local_store_all_ok_and_hooks_cover_every_worktree(repo: GitRepo, tmp_path: Path
                                                           ) -> None:
    before = run_offload("doctor", cwd=repo.path)
    assert before.rc == 0, before.output
    assert before.stdout.startswith(f"offload doctor (offload {__version__})")
    assert "warn  hooks:" in before.stdout and "offload hook install" in before.stdout
    repo.worktree(tmp_path / "agent-2", "agent-2")
    assert run_offload("hook", "install", cwd=repo.path).rc == 0
    result = run_offload("doctor", "--json", cwd=tmp_path / "agent-2")
    assert result.rc == 0, result.output
    payload = result.json()
    assert payload["kind"] == "doctor" and payload["ok"] is True
    assert payload["version"] == __version__
    found = statuses(payload)
    assert found.pop("inotify") in ("ok", "warn")  # this machine's limits, not offload's
    assert set(found.values()) == {"ok"}, payload
    hooks = next(c for c in payload["checks"] if c["name"] == "hooks")
    assert "2 worktree(s)" in hooks["detail"]
    store = repo.path / ".git" / "offload" / "store"
    assert not any(p.is_file() for p in store.rglob("*"))  # the probe is gone


def test_invalid_configuration_fails_with_exit_1(repo: GitRepo) -> None:
    repo.write("offload.yaml", "stroe: s3://film-assets\n")
    result = run_offload("doctor", cwd=repo.path)
    assert result.rc == 1, result.output
    assert "FAIL  configuration:" in result.stdout and "did you mean `store`" in result.stdout


def test_moto_store_probe_conditional_create_and_public_url(
        repo: GitRepo, moto_s3: S3Server, s3_bucket: str) -> None:
    configure_s3(repo, s3_bucket, moto_s3.endpoint_url,
                 f"{moto_s3.endpoint_url}/{s3_bucket}/prod")
    private = run_offload("doctor", cwd=repo.path, env=moto_s3.env())
    assert private.rc == 1 and "FAIL  public URL:" in private.stdout, private.output
    assert "answered 403" in private.stdout and "publicly readable" in private.stdout
    moto_s3.client().put_bucket_acl(  # type: ignore[attr-defined]
        Bucket=s3_bucket, ACL="public-read")
    result = run_offload("doctor", "--json", cwd=repo.path, env=moto_s3.env())
    assert result.rc == 0, result.output
    found = statuses(result.json())
    assert found["store reachable"] == found["store writable"] == "ok", result.stdout
    assert found["conditional create"] == "ok" and found["public URL"] == "ok"
    assert found["credentials"] == "ok"
    listed = moto_s3.client().list_objects_v2(Bucket=s3_bucket)  # type: ignore[attr-defined]
    assert listed.get("KeyCount", 0) == 0  # write-read-delete left nothing


def test_rclone_serve_s3_ignores_conditional_create_warn(
        repo: GitRepo, rclone_s3: S3Server, rclone_bucket: str) -> None:
    configure_s3(repo, rclone_bucket, rclone_s3.endpoint_url)
    result = run_offload("doctor", cwd=repo.path, env=rclone_s3.env())
    assert result.rc == 0, result.output
    assert "ok    store writable:" in result.stdout
    assert "warn  conditional create: ignored" in result.stdout
    assert "warn  public URL: no public_url" in result.stdout
    assert rclone_s3.secret_key not in result.output


def test_closed_port_fails_without_printing_the_secret(repo: GitRepo, moto_s3: S3Server, closed_port: int) -> None:
    configure_s3(repo, "assets", f"http://127.0.0.1:{closed_port}")
    result = run_offload("doctor", cwd=repo.path, env=moto_s3.env(), timeout=90)
    assert result.rc == 1, result.output
    assert "FAIL  store reachable: store unreachable" in result.stdout
    assert "fix:" in result.stdout and "Traceback" not in result.output
    assert moto_s3.secret_key not in result.output and moto_s3.access_key not in result.output
    json_result = run_offload("doctor", "--json", cwd=repo.path, env=moto_s3.env(), timeout=90)
    assert json_result.rc == 1 and json_result.json()["ok"] is False


def test_no_credentials_fail(repo: GitRepo, moto_s3: S3Server, s3_bucket: str) -> None:
    configure_s3(repo, s3_bucket, moto_s3.endpoint_url)
    result = run_offload("doctor", "--json", cwd=repo.path,
                         env={"AWS_EC2_METADATA_DISABLED": "true"})
    assert result.rc == 1, result.output
    assert statuses(result.json())["credentials"] == "fail"


@pytest.mark.parametrize("transport", ["boto3", "rclone"])
def test_rclone_remote_credentials_and_transport(repo: GitRepo, rclone_s3: S3Server,
                                                 rclone_bucket: str, tmp_path: Path,
                                                 transport: str) -> None:
    conf = tmp_path / "rclone.conf"
    conf.write_text(f"[srv]\ntype = s3\nprovider = Rclone\nendpoint = {rclone_s3.endpoint_url}\n"
                    f"access_key_id = {rclone_s3.access_key}\n"
                    f"secret_access_key = {rclone_s3.secret_key}\n")
    repo.write("offload.yaml", f"store: rclone:srv:{rclone_bucket}/prod\n"
               f"transport: {transport}\n")
    env = {"RCLONE_CONFIG": str(conf), "AWS_CA_BUNDLE": str(rclone_s3.ca_bundle),
           "RCLONE_CA_CERT": str(rclone_s3.ca_bundle)}
    result = run_offload("doctor", "--json", cwd=repo.path, env=env)
    assert result.rc == 0, result.output
    found = statuses(result.json())
    assert found["credentials"] == found["store reachable"] == found["store writable"] == "ok"
    assert found["conditional create"] == "warn"  # rclone serve s3 / the rclone binary
    assert rclone_s3.secret_key not in result.output
    assert rclone_s3.root is not None and not list((rclone_s3.root / rclone_bucket).rglob("*.txt"))
