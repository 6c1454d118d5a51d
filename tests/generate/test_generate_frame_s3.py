"""Eight frame generators of one shot, across two worktrees sharing an S3 store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import finish, manifest_lines, start, use_s3

RUNS = 8
SHOT = "storyboards/scene1/shot4"


def test_eight_parallel_frames_get_eight_versions(repo: GitRepo, tmp_path: Path,
                                                  seaweedfs_s3: S3Server,
                                                  seaweedfs_bucket: str) -> None:
    # SeaweedFS, not moto: moto checks If-None-Match and then writes without a lock, so two
    # claims racing on moto can both succeed (see test_generate_parallel.py)
    s3, bucket = seaweedfs_s3, seaweedfs_bucket
    trees = [repo, repo.worktree(tmp_path / "wt-a", "a")]
    env = use_s3(trees[0], s3, bucket)
    use_s3(trees[1], s3, bucket)
    procs = [start(trees[n % 2].path, "frame", "--scene", "1", "--shot", "4", "--prompt",
                   "the hangar at dusk", "--seed", str(n), "--size", "160x90", env=env)
             for n in range(RUNS)]
    records = finish(procs)
    assert sorted(str(r["path"]) for r in records) == sorted(
        f"{SHOT}/v{n}.png" for n in range(1, RUNS + 1))
    assert len({r["sha256"] for r in records}) == RUNS  # eight different images, none lost
    assert sum(len(manifest_lines(tree)) for tree in trees) == RUNS
    client: Any = s3.client()
    listed = client.list_objects_v2(Bucket=bucket, Prefix=f"prod/{SHOT}/")
    keys = {item["Key"] for item in listed["Contents"]}
    assert {f"prod/{r['key']}" for r in records} <= keys
