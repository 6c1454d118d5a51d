"""The store dies in the middle of ``watch`` (SeaweedFS and moto): nothing is lost, what was
written meanwhile goes up once the store is back, and the manifest ends complete."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from testing.proxy import FaultProxy
from testing.repos import GitRepo
from testing.servers import S3Server, moto_server, seaweedfs_server
from tests.watch.conftest import Daemons, manifest, status, wait_for
from tests.watch.test_s3 import bucket_keys, s3_repo

pytestmark = pytest.mark.timeout(240)

ServerFactory = Callable[[Path], AbstractContextManager[S3Server]]


@pytest.mark.parametrize("start_server", [seaweedfs_server, moto_server],
                         ids=["seaweedfs", "moto"])
def test_store_killed_mid_watch_then_replaced(repo: GitRepo, tmp_path: Path, daemons: Daemons,
                                              start_server: ServerFactory) -> None:
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    with start_server(tmp_path / "first") as first, \
            FaultProxy(first.port, fault_rate=0.0, max_connections=256, lifetime=200) as proxy:
        first.create_bucket("renders")
        root = s3_repo(repo, "renders", proxy.url)
        env = {**first.env(), "AWS_MAX_ATTEMPTS": "1"}
        out = root / "outputs"
        proc = daemons.start(root, env=env)
        data = {f"outputs/a-{i:02}.png": os.urandom(2048) for i in range(20)}
        for path, content in data.items():
            (root / path).write_bytes(content)
        wait_for(lambda: len(manifest(root)) == 20, "the uploads before the store dies")
        os.kill(first.pid, signal.SIGKILL)  # the store process dies: connections are refused
        written_while_down = {f"outputs/b-{i:02}.png": os.urandom(2048) for i in range(20)}
        for path, content in written_while_down.items():
            (root / path).write_bytes(content)
        wait_for(lambda: status(root, env)["counts"]["retrying"] > 0,
                 "uploads waiting to retry while the store is down", 60)
        assert proc.poll() is None and len(manifest(root)) == 20
        with start_server(tmp_path / "second") as second:
            second.create_bucket("renders")
            proxy.target = ("127.0.0.1", second.port)  # the store is back
            wait_for(lambda: len(manifest(root)) == 40, "every file once the store is back", 120)
            entries = manifest(root)
            for path, content in {**data, **written_while_down}.items():
                assert entries[path]["sha256"] == hashlib.sha256(content).hexdigest()
            stored = bucket_keys(second, "renders")
            # each sent once, complete, and nothing else
            assert sorted(stored) == sorted("watch/" + entries[p]["key"]
                                            for p in written_while_down)
            for path in written_while_down:
                assert stored["watch/" + entries[path]["key"]]["Size"] == 2048
            done = wait_for(lambda: (s := status(root, env))["queue_depth"] == 0 and s,
                            "an empty queue")
            assert done["failed"] == [] and done["uploaded"] == 40 and proc.poll() is None
    assert not list(out.glob("*.tmp*"))
