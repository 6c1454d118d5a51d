"""Six generators at once (real CLI processes) never share a version.

The store test runs on SeaweedFS: moto's server checks If-None-Match and then writes without a
lock (moto/s3/responses.py), so two claims racing on moto can both succeed. That races moto,
not offload; moto's 412 for an existing key is tested in tests/store/test_no_overwrite.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import finish, manifest_lines, start, use_s3

RUNS = 6


def start_turnaround(cwd: Path, seed: int, env: dict[str, str] | None = None
                     ) -> subprocess.Popen[str]:
    return start(cwd, "turnaround", "--character", "mira", "--prompt", "a pilot", "--seed",
                 str(seed), env=env)


def test_six_generators_on_s3_get_six_versions(repo: GitRepo, seaweedfs_s3: S3Server,
                                               seaweedfs_bucket: str) -> None:
    env = use_s3(repo, seaweedfs_s3, seaweedfs_bucket)
    records = finish([start_turnaround(repo.path, seed, env) for seed in range(RUNS)])
    paths = {r["path"] for r in records}
    assert paths == {f"characters/mira/turnaround/v{n}.png" for n in range(1, RUNS + 1)}
    assert len(manifest_lines(repo)) == RUNS
    client = seaweedfs_s3.client()
    listed = client.list_objects_v2(  # type: ignore[attr-defined]
        Bucket=seaweedfs_bucket, Prefix="prod/characters/mira/turnaround/")
    keys = {item["Key"] for item in listed["Contents"]}
    assert {f"prod/characters/mira/turnaround/.claims/v{n}" for n in range(1, RUNS + 1)} <= keys
    assert {"prod/" + str(r["key"]) for r in records} <= keys


def test_six_generators_on_the_local_store_across_worktrees(repo: GitRepo, tmp_path: Path
                                                            ) -> None:
    trees = [repo, repo.worktree(tmp_path / "wt-a", "a"), repo.worktree(tmp_path / "wt-b", "b")]
    procs = [start_turnaround(trees[n % len(trees)].path, n) for n in range(RUNS)]
    records = finish(procs)
    versions = sorted(int(str(r["meta"]["version"])) for r in records)  # type: ignore[index]
    assert versions == list(range(1, RUNS + 1))
    assert sum(len(manifest_lines(t)) for t in trees) == RUNS
