"""Against S3 (moto): an outage during a burst, multipart-size files, two worktrees."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.proxy import FaultProxy
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.watch.conftest import Daemons, manifest, status, wait_for, write_config

pytestmark = pytest.mark.timeout(120)


def s3_repo(repo: GitRepo, bucket: str, endpoint: str) -> Path:
    write_config(repo.path, store=f"s3://{bucket}/watch")
    with open(repo.path / "offload.yaml", "a") as handle:
        handle.write(f"s3:\n  endpoint_url: {endpoint}\n  region: us-east-1\n")
    (repo.path / "outputs").mkdir()
    return repo.path


def bucket_keys(server: S3Server, bucket: str) -> dict[str, dict[str, Any]]:
    client: Any = server.client()
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {o["Key"]: o for page in pages for o in page.get("Contents", [])}


@pytest.fixture
def s3_env(moto_s3: S3Server) -> dict[str, str]:
    return {**moto_s3.env(), "AWS_MAX_ATTEMPTS": "1"}


@pytest.fixture(params=["moto", "seaweedfs"])
def outage_store(request: pytest.FixtureRequest) -> tuple[S3Server, str]:
    """A server and a fresh bucket: moto, and SeaweedFS (a real server, conditional creates)."""
    if request.param == "moto":
        return request.getfixturevalue("moto_s3"), request.getfixturevalue("s3_bucket")
    return request.getfixturevalue("seaweedfs_s3"), request.getfixturevalue("seaweedfs_bucket")


@pytest.fixture
def proxy(outage_store: tuple[S3Server, str]) -> Iterator[FaultProxy]:
    with FaultProxy(outage_store[0].port, fault_rate=0.0, max_connections=256,
                    lifetime=120) as p:
        yield p


def test_store_down_during_burst_then_everything_uploaded(
        repo: GitRepo, outage_store: tuple[S3Server, str], proxy: FaultProxy,
        daemons: Daemons) -> None:
    server, bucket = outage_store
    s3_env = {**server.env(), "AWS_MAX_ATTEMPTS": "1"}
    root = s3_repo(repo, bucket, proxy.url)
    out = root / "outputs"
    proc = daemons.start(root, env=s3_env)
    for i in range(100):
        (out / f"a-{i:03}.png").write_bytes(os.urandom(4096))
    wait_for(lambda: len(manifest(root)) == 100, "the first half before the outage")
    proxy.set_down(True)
    for i in range(100):
        (out / f"b-{i:03}.png").write_bytes(os.urandom(4096))
    info = wait_for(lambda: (s := status(root, s3_env))["counts"]["retrying"] > 0 and s,
                    "uploads waiting to retry while the store is down")
    assert info["running"] and info["queue_depth"] > 0 and proc.poll() is None
    assert all(f["will_retry"] for f in info["failed"])
    proxy.set_down(False)
    wait_for(lambda: len(manifest(root)) == 200, "every file once the store is back", 60)
    keys = bucket_keys(server, bucket)
    assert {"watch/" + e["key"] for e in manifest(root).values()} == set(keys)
    done = wait_for(lambda: (s := status(root, s3_env))["queue_depth"] == 0 and s, "drain")
    assert done["failed"] == [] and done["uploaded"] == 200 and "s3://" in done["store"]


def test_file_above_the_multipart_threshold(repo: GitRepo, s3_bucket: str, moto_s3: S3Server,
                                            daemons: Daemons, s3_env: dict[str, str]) -> None:
    from offload.store.s3 import MULTIPART_THRESHOLD

    root = s3_repo(repo, s3_bucket, moto_s3.endpoint_url)
    daemons.start(root, env=s3_env)
    data = os.urandom(1024 * 1024) * (MULTIPART_THRESHOLD // (1024 * 1024) + 1)
    (root / "outputs" / "big.mov").write_bytes(data)
    entry = wait_for(lambda: manifest(root).get("outputs/big.mov"), "the big upload", 90)
    assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    stored = bucket_keys(moto_s3, s3_bucket)["watch/" + entry["key"]]
    assert stored["Size"] == len(data) and "-" in stored["ETag"]  # sent in parts


def test_two_worktrees_each_with_its_own_daemon(repo: GitRepo, s3_bucket: str,
                                                moto_s3: S3Server, daemons: Daemons,
                                                s3_env: dict[str, str]) -> None:
    main = s3_repo(repo, s3_bucket, moto_s3.endpoint_url)
    repo.add("offload.yaml")
    repo.commit("offload config")
    other = repo.worktree(main.parent / "agent-2", "agent-2").path
    (other / "outputs").mkdir()
    daemons.start(main, env=s3_env)
    daemons.start(other, env=s3_env)
    assert status(main, s3_env)["pid"] != status(other, s3_env)["pid"]
    for i in range(10):
        (main / "outputs" / f"main-{i}.png").write_bytes(os.urandom(512))
        (other / "outputs" / f"agent-{i}.png").write_bytes(os.urandom(512))
    wait_for(lambda: len(manifest(main)) == 10 and len(manifest(other)) == 10, "both sets")
    assert all(p.startswith("outputs/main-") for p in manifest(main))
    assert all(p.startswith("outputs/agent-") for p in manifest(other))
    keys = bucket_keys(moto_s3, s3_bucket)
    for root in (main, other):
        assert {"watch/" + e["key"] for e in manifest(root).values()} <= set(keys)
        assert (root / ".gitignore").read_text().splitlines().count("/outputs") == 1
