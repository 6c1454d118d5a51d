"""A store on a closed port fails within a bound (exit 4, error:/next:) on both transports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo

SECRET = "rclone-secret-never-printed"


@pytest.mark.parametrize("transport", ["rclone", "boto3"])
def test_closed_port_fails_fast(repo: GitRepo, tmp_path: Path, transport: str, closed_port: int) -> None:
    port = closed_port
    conf = tmp_path / "rclone.conf"
    conf.write_text(f"[dead]\ntype = s3\nprovider = Other\naccess_key_id = AKIAEXAMPLE\n"
                    f"secret_access_key = {SECRET}\nendpoint = http://127.0.0.1:{port}\n")
    repo.write("offload.yaml", f"store: rclone:dead:assets/prod\ntransport: {transport}\n")
    repo.write("shots/a.png", b"\x89PNG" + os.urandom(500))
    env = {"RCLONE_CONFIG": str(conf)}
    # the subprocess timeout is the bound: rclone's own defaults took minutes here
    result = run_offload("put", "shots", cwd=repo.path, env=env, timeout=90)
    assert result.rc == ExitCode.STORE, result.output
    assert "unreachable" in result.stderr and f"127.0.0.1:{port}" in result.stderr
    assert "next:" in result.stderr
    assert SECRET not in result.output and "Traceback" not in result.output
    assert not (repo.path / "offload.lock").exists()
