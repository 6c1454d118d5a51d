"""The store goes away in the middle of ``offload put FOLDER``: exit 4 with error:/next:, nothing
recorded that is not fully stored, and the same command finishes once the store is back."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from typing import Any

from offload.errors import ExitCode
from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.store.stall import StallProxy

MIB = 1024 * 1024
FILES = 12



def cut_mid_upload(proxy: StallProxy, repo: GitRepo, env: dict[str, str], *args: str
                   ) -> tuple[int, str]:
    """Run ``offload args…`` until its uploads stall at the proxy, cut the connection there;
    (exit code, stderr). The process never outlives the call."""
    proc = subprocess.Popen([sys.executable, "-m", "offload", *args], cwd=repo.path,
                            env=cli_env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proxy.stalled.wait(timeout=120), "the uploads never reached the stall"
        proxy.cut()
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    return proc.returncode, err

def recorded(repo: GitRepo) -> list[dict[str, object]]:
    lock = repo.path / "offload.lock"
    if not lock.exists():
        return []
    return [json.loads(line) for line in lock.read_text().splitlines() if line.strip()]


def assert_fully_stored(s3: S3Server, bucket: str, entries: list[dict[str, object]]) -> None:
    client: Any = s3.client()
    for entry in entries:
        body = client.get_object(Bucket=bucket, Key=f"prod/{entry['key']}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], entry["path"]


def test_store_stops_in_the_middle_of_put(repo: GitRepo, enforcing_s3: tuple[S3Server, str]
                                           ) -> None:
    s3, bucket = enforcing_s3
    for n in range(FILES):
        repo.write(f"shots/frame-{n:02}.png", b"\x89PNG" + os.urandom(MIB))
    env = {**s3.env(), "AWS_MAX_ATTEMPTS": "3"}
    with StallProxy(s3.port, budget=4 * MIB) as proxy:
        repo.write("offload.yaml", f"store: s3://{bucket}/prod\n"
                   f"s3: {{endpoint_url: \"{proxy.url}\"}}\n")
        rc, err = cut_mid_upload(proxy, repo, env, "put", "shots")
        assert rc == ExitCode.STORE, err
        assert "error:" in err and "next:" in err and "Traceback" not in err
        assert_fully_stored(s3, bucket, recorded(repo))

        proxy.release()
        again = run_offload("put", "shots", cwd=repo.path, env=env, timeout=180)
        assert again.rc == 0, again.output
    entries = recorded(repo)
    assert len(entries) == FILES
    assert_fully_stored(s3, bucket, entries)
