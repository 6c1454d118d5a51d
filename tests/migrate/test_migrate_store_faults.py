"""The store goes away in the middle of `offload migrate run` (moto and SeaweedFS): the run
exits 4 with error:/next:, the refs, the work tree and the objects already sent are intact, and
a rerun once the store is back finishes and verifies."""

from __future__ import annotations

import hashlib
import select
import socket
from pathlib import Path

import pytest

from offload.errors import ExitCode
from testing.proxy import FaultProxy, _reset
from testing.repos import GitRepo
from testing.servers import S3Server

from .conftest import PUBLIC
from .helpers import PLAN, offload, plan_data, refs

VERSIONS = 6  # distinct (path, content) versions in the production repository


class OutageAfterPuts(FaultProxy):
    """Forwards the first ``allowed`` PUT requests; from the next one on, the store is down:
    that request and every later one, on open or new connections, is reset. Requests are
    counted at their first bytes, so the outage starts at the same request on every run."""

    def __init__(self, target_port: int, allowed: int) -> None:
        super().__init__(target_port, fault_rate=0.0, lifetime=600)
        self.allowed: float = allowed
        self.puts = 0

    def restore(self) -> None:
        self.allowed = float("inf")
        self.set_down(False)

    def _admit(self, request: bytes) -> bool:
        with self._lock:
            if self._down:
                return False
            if request.startswith(b"PUT "):
                if self.puts >= self.allowed:
                    self._down = True
                    return False
                self.puts += 1
            return True

    def _pump(self, client: socket.socket, upstream: socket.socket, kind: str, offset: int
              ) -> None:
        """Forward both ways until either side closes; keep-alive connections stay open (an
        idle timeout would race with a slow client and add retries of its own)."""
        starts_request = True
        while not self._stop.is_set():
            readable, _, _ = select.select([client, upstream], [], [], 0.2)
            for sock in readable:
                data = sock.recv(256 * 1024)
                if not data:
                    return
                if sock is upstream:
                    client.sendall(data)
                    # after a final answer the client's next bytes start a request; after
                    # "100 Continue" they are the body
                    starts_request = not data.startswith(b"HTTP/1.1 100")
                    continue
                if starts_request and not self._admit(data):
                    return _reset(client)
                starts_request = False
                upstream.sendall(data)


def _configure(clone: GitRepo, server: S3Server, bucket: str, endpoint: str) -> dict[str, str]:
    clone.write("offload.yaml", f"store: s3://{bucket}/prod\npublic_url: {PUBLIC}\n"
                                f's3: {{endpoint_url: "{endpoint}"}}\n')
    return {**server.env(), "AWS_MAX_ATTEMPTS": "2"}


def _stored(server: S3Server, bucket: str) -> dict[str, str]:
    """key -> sha256 of the content, and the content matches the sha256 in its metadata."""
    client = server.client()
    found: dict[str, str] = {}
    listing = client.list_objects_v2(Bucket=bucket, Prefix="prod/")  # type: ignore[attr-defined]
    for item in listing.get("Contents", []):
        obj = client.get_object(Bucket=bucket, Key=item["Key"])  # type: ignore[attr-defined]
        digest = hashlib.sha256(obj["Body"].read()).hexdigest()
        assert obj["Metadata"].get("sha256") == digest, item["Key"]
        found[item["Key"]] = digest
    return found


@pytest.mark.parametrize(("kind", "mode"), [("moto", "history"), ("seaweedfs", "history"),
                                            ("moto", "tip")])
def test_store_lost_during_migrate_run(kind: str, mode: str, clone: GitRepo,
                                       request: pytest.FixtureRequest) -> None:
    server: S3Server = request.getfixturevalue("moto_s3" if kind == "moto" else "seaweedfs_s3")
    bucket: str = request.getfixturevalue("s3_bucket" if kind == "moto" else "seaweedfs_bucket")
    with OutageAfterPuts(server.port, allowed=2) as proxy:
        env = _configure(clone, server, bucket, proxy.url)
        planned = offload(clone, env, "migrate", "plan")
        assert planned.rc == 0, planned.output
        before = refs(clone)
        run = offload(clone, env, "migrate", "run", PLAN, "--mode", mode, "--jobs", "1")
        assert run.rc == ExitCode.STORE, run.output
        assert "error:" in run.stderr and "next:" in run.stderr, run.output
        assert "Traceback" not in run.output and server.secret_key not in run.output
        assert proxy.puts == 2 and proxy.stats["outage"] >= 1, proxy.stats
        # no ref names a rewritten commit while objects are missing (history mode makes local
        # branches for the plan's remote ones, recorded in the journal, at their original commits)
        assert refs(clone).items() <= plan_data(clone)["refs"]["original"].items()
        assert before.items() <= refs(clone).items()
        assert clone.git("status", "--porcelain", "--untracked-files=no") == ""
        assert len(_stored(server, bucket)) == 2  # what was sent is whole
        assert not list((clone.path / ".git").glob("fast_import_crash_*"))

        proxy.restore()
        rerun = offload(clone, env, "migrate", "run", PLAN, "--mode", mode, "--json")
        assert rerun.rc == 0, rerun.output
        assert rerun.json()["verification"]["ok"]
        assert refs(clone) != before
        verify = offload(clone, env, "migrate", "verify", PLAN)
        assert verify.rc == 0, verify.output
    assert len(_stored(server, bucket)) == VERSIONS


def test_outage_proxy_counts_puts_only(tmp_path: Path, moto_s3: S3Server, s3_bucket: str
                                       ) -> None:
    with OutageAfterPuts(moto_s3.port, allowed=1) as proxy:
        import boto3
        from botocore.config import Config

        client = boto3.client(
            "s3", endpoint_url=proxy.url, aws_access_key_id=moto_s3.access_key,
            aws_secret_access_key=moto_s3.secret_key, region_name=moto_s3.region,
            config=Config(retries={"max_attempts": 1}))
        client.put_object(Bucket=s3_bucket, Key="a", Body=b"a")
        assert client.get_object(Bucket=s3_bucket, Key="a")["Body"].read() == b"a"
        with pytest.raises(Exception):  # noqa: B017 - any connection error will do
            client.put_object(Bucket=s3_bucket, Key="b", Body=b"b")
        with pytest.raises(Exception):  # noqa: B017 - the store stays down, GETs too
            client.get_object(Bucket=s3_bucket, Key="a")
        proxy.restore()
        client.put_object(Bucket=s3_bucket, Key="b", Body=b"b")
    assert proxy.puts == 2
