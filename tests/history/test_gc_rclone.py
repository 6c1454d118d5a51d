"""`offload gc` with `transport: rclone` (rclone serve s3 over TLS): listed through boto3 with
the remote's settings, deleted through the rclone binary."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server

from .gc_scenes import put


def test_gc_over_the_rclone_transport(repo: GitRepo, rclone_s3: S3Server, rclone_bucket: str,
                                      tmp_path: Path) -> None:
    conf = tmp_path / "rclone.conf"
    conf.write_text(f"[srv]\ntype = s3\nprovider = Rclone\nendpoint = {rclone_s3.endpoint_url}\n"
                    f"access_key_id = {rclone_s3.access_key}\n"
                    f"secret_access_key = {rclone_s3.secret_key}\n")
    repo.write("offload.yaml", f"store: rclone:srv:{rclone_bucket}/prod\ntransport: rclone\n"
               "public_url: https://cdn.example.test/prod\n")
    env = {"RCLONE_CONFIG": str(conf), **rclone_s3.env()}
    kept = put(repo, env, "art/kept.png", "kept")
    repo.add("offload.lock")
    repo.commit("kept")
    dropped = put(repo, env, "art/dropped.png", "dropped")
    repo.git("checkout", "--", "offload.lock")
    result = run_offload("gc", "--older-than", "0s", "--all-repos-listed", "--json",
                         cwd=repo.path, env=env)
    assert result.rc == 0, result.output
    assert [g["key"] for g in result.json()["deleted"]] == [dropped]
    assert rclone_s3.root is not None
    folder = rclone_s3.root / rclone_bucket / "prod"
    assert (folder / kept).is_file() and not (folder / dropped).exists()
    assert rclone_s3.secret_key not in result.output
    assert "cannot list incomplete multipart uploads" in result.json()["notes"][0]
