"""Two clones share a store with ``key_template: "{path}"``: no generator overwrites a version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import turnaround

V1 = "characters/mira/turnaround/v1.png"


def clone(root: Path, s3: S3Server, bucket: str) -> GitRepo:
    repo = GitRepo(root)
    repo.write("offload.yaml", f"store: s3://{bucket}/prod\nkey_template: \"{{path}}\"\n"
               f"s3:\n  endpoint_url: {s3.endpoint_url}\n  region: us-east-1\n")
    return repo


def stored(s3: S3Server, bucket: str, key: str) -> Any:
    client: Any = s3.client()
    return client.get_object(Bucket=bucket, Key=f"prod/{key}")["Body"].read()


def test_generator_in_another_clone_keeps_v1(tmp_path: Path, server: tuple[S3Server, str]
                                             ) -> None:
    s3, bucket = server
    first = clone(tmp_path / "first", s3, bucket)
    second = clone(tmp_path / "second", s3, bucket)
    v1 = b"\x89PNG\r\n\x1a\nhand-made v1"
    first.write(V1, v1)
    put = run_offload("put", V1, cwd=first.path, env=s3.env())
    assert put.rc == 0, put.output

    forced = turnaround(second, "--character", "mira", "--prompt", "pilot", "--version", "1",
                        env=s3.env())
    assert forced.rc == ExitCode.USAGE and "version 1 is taken" in forced.stderr, forced.output
    generated = turnaround(second, "--character", "mira", "--prompt", "pilot", "--json",
                           env=s3.env())
    assert generated.rc == 0, generated.output
    assert generated.json()["path"] == "characters/mira/turnaround/v2.png"
    assert stored(s3, bucket, V1) == v1
