"""`offload gc` on S3 stores (moto and SeaweedFS): killed multipart uploads are aborted, the
unreferenced object and the orphan claim go, everything a ref references stays."""

from __future__ import annotations

from typing import Any

import pytest

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server

from .gc_scenes import build_scene, orphan_claim_body

PUBLIC = "https://cdn.example.test/prod"
CLAIM = "characters/mira/turnaround/.claims/v7"


def keys(client: Any, bucket: str) -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="prod/")
    return {item["Key"][len("prod/"):] for page in pages for item in page.get("Contents", ())}


def uploads(client: Any, bucket: str) -> list[str]:
    reply = client.list_multipart_uploads(Bucket=bucket)
    return [item["Key"] for item in reply.get("Uploads", ())]


SERVERS = {"moto": ("moto_s3", "s3_bucket"), "seaweedfs": ("seaweedfs_s3", "seaweedfs_bucket")}


@pytest.mark.parametrize("server_name", sorted(SERVERS))
def test_gc_on_s3_removes_exactly_the_garbage(repo: GitRepo, server_name: str,
                                              request: pytest.FixtureRequest) -> None:
    server_fixture, bucket_fixture = SERVERS[server_name]
    server: S3Server = request.getfixturevalue(server_fixture)
    bucket: str = request.getfixturevalue(bucket_fixture)
    repo.write("offload.yaml", f"store: s3://{bucket}/prod\npublic_url: {PUBLIC}\n"
               f"s3:\n  endpoint_url: {server.endpoint_url}\n  region: us-east-1\n")
    env = server.env()
    scene = build_scene(repo, env)
    client: Any = server.client()
    client.put_object(Bucket=bucket, Key=f"prod/{CLAIM}", Body=orphan_claim_body())
    killed = client.create_multipart_upload(Bucket=bucket, Key="prod/art/killed.png")
    client.upload_part(Bucket=bucket, Key="prod/art/killed.png", PartNumber=1,
                       UploadId=killed["UploadId"], Body=b"x" * 1024)
    client.put_object(Bucket=bucket, Key="elsewhere/not-ours.png", Body=b"other prefix")
    assert uploads(client, bucket) == ["prod/art/killed.png"]
    before = keys(client, bucket)

    refused = run_offload("gc", "--older-than", "0s", cwd=repo.path, env=env)
    assert refused.rc == ExitCode.GIT_STATE and "--all-repos-listed" in refused.stderr
    dry = run_offload("gc", "--dry-run", "--older-than", "0s", "--all-repos-listed", "--json",
                      cwd=repo.path, env=env)
    assert dry.rc == 0, dry.output
    expected = {("unreferenced", k) for k in scene.garbage} | {
        ("orphan-claim", CLAIM), ("multipart-upload", "art/killed.png")}
    assert {(g["kind"], g["key"]) for g in dry.json()["garbage"]} == expected
    assert keys(client, bucket) == before and len(uploads(client, bucket)) == 1

    real = run_offload("gc", "--older-than", "0s", "--all-repos-listed", "--json",
                       cwd=repo.path, env=env)
    assert real.rc == 0, real.output
    assert {(g["kind"], g["key"]) for g in real.json()["deleted"]} == expected
    assert keys(client, bucket) == scene.referenced
    assert uploads(client, bucket) == []
    assert client.head_object(Bucket=bucket, Key="elsewhere/not-ours.png")
    verify = run_offload("verify", "--all", cwd=repo.path, env=env)
    assert verify.rc == 0, verify.output
