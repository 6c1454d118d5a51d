"""A multipart upload cut short by SIGTERM is aborted at once; one cut by SIGKILL is aborted by
the next put of the same key. Nothing stays in the bucket."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from offload.errors import ExitCode
from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.store.stall import StallProxy

MIB = 1024 * 1024
BIG = 65 * MIB  # just over the 64 MiB multipart threshold: 5 parts


def configure(repo: GitRepo, bucket: str, endpoint: str) -> Path:
    repo.write("offload.yaml", f"store: s3://{bucket}/prod\ns3: {{endpoint_url: \"{endpoint}\"}}\n")
    big = repo.path / "renders" / "long.mov"
    big.parent.mkdir(parents=True, exist_ok=True)
    with open(big, "wb") as out:
        for n in range(BIG // MIB):
            out.write(bytes([n]) * MIB)
    return big


def uploads(server: S3Server, bucket: str) -> list[Any]:
    listed = server.client().list_multipart_uploads(Bucket=bucket)  # type: ignore[attr-defined]
    return list(listed.get("Uploads", []))


def start_put(repo: GitRepo, server: S3Server) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "offload", "put", "renders"], cwd=repo.path,
                            env=cli_env(server.env()), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_until_stalled(proxy: StallProxy, server: S3Server, bucket: str) -> None:
    assert proxy.stalled.wait(timeout=120), "the upload never reached the stall"
    deadline = time.monotonic() + 30
    while not uploads(server, bucket):
        assert time.monotonic() < deadline, "no multipart upload was started"
        time.sleep(0.1)


def test_sigterm_aborts_the_multipart_upload(repo: GitRepo, moto_s3: S3Server, s3_bucket: str
                                             ) -> None:
    with StallProxy(moto_s3.port, budget=20 * MIB) as proxy:
        configure(repo, s3_bucket, proxy.url)
        proc = start_put(repo, moto_s3)
        try:
            wait_until_stalled(proxy, moto_s3, s3_bucket)
            proc.send_signal(signal.SIGTERM)
            lines: list[str] = []
            assert proc.stderr is not None
            reader = threading.Thread(target=lambda: lines.append(proc.stderr.readline()))
            reader.start()
            reader.join(timeout=60)
            assert lines and "cancelling" in lines[0], lines
            proxy.release()  # the cancelled parts finish; then the abort goes through
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert uploads(moto_s3, s3_bucket) == []
    assert not (repo.path / "offload.lock").exists()


def test_next_put_aborts_what_a_killed_put_left(repo: GitRepo, moto_s3: S3Server,
                                                s3_bucket: str) -> None:
    with StallProxy(moto_s3.port, budget=20 * MIB) as proxy:
        configure(repo, s3_bucket, proxy.url)
        proc = start_put(repo, moto_s3)
        try:
            wait_until_stalled(proxy, moto_s3, s3_bucket)
        finally:
            proc.kill()
            proc.communicate(timeout=30)
    [left] = uploads(moto_s3, s3_bucket)
    assert left["Key"].startswith("prod/renders/long.")
    configure(repo, s3_bucket, moto_s3.endpoint_url)
    again = run_offload("put", "renders", cwd=repo.path, env=moto_s3.env(), timeout=300)
    assert again.rc == 0, again.output
    assert uploads(moto_s3, s3_bucket) == []
    client: Any = moto_s3.client()
    head = client.head_object(Bucket=s3_bucket, Key=left["Key"])
    assert head["ContentLength"] == BIG
