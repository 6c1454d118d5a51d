"""A configuration typo, an unknown store form or an unreachable store is said at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.guard.helpers import PNG
from tests.guard.test_hook_path import PROBE


@pytest.mark.parametrize(("text", "hint"), [
    ("stroe: s3://film-assets\n", "did you mean `store`"),
    ('artifacts:\n  incldue: ["*.png"]\n', "did you mean `artifacts.include`"),
    ("s3:\n  endpoint: https://example.test\n", "did you mean `s3.endpoint_url`"),
    ("store: s3:/film-assets\n", "did you mean 's3://film-assets'"),
    ("store: gs://film-assets\n", "s3://bucket[/prefix]"),
    ("store: rclone:r2\n", "rclone:REMOTE:bucket"),
    ("store: s3://\n", "s3://bucket"),
])
def test_configuration_mistakes_are_refused_with_the_fix(repo: GitRepo, text: str,
                                                         hint: str) -> None:
    repo.write("offload.yaml", text)
    repo.write("a.png", PNG)
    result = run_offload("put", "a.png", cwd=repo.path)
    assert result.rc == 3, result.output
    assert "error:" in result.stderr and hint in result.stderr
    assert not (repo.path / "s3:").exists()  # never taken for a folder called s3:
    assert not (repo.path / "offload.lock").exists()


@pytest.mark.parametrize("store", ["gs://x", "rclone:nosuchremote:bucket", "s3:/x"])
def test_init_validates_before_writing(repo: GitRepo, store: str) -> None:
    result = run_offload("init", "--store", store, cwd=repo.path)
    assert result.rc == 3, result.output
    assert "next:" in result.stderr and "Traceback" not in result.output
    assert not (repo.path / "offload.yaml").exists()


def test_init_for_s3_writes_the_endpoint_and_says_whether_it_answers(
        repo: GitRepo, moto_s3: S3Server, s3_bucket: str, tmp_path: Path, closed_port: int) -> None:
    ok = run_offload("init", "--store", f"s3://{s3_bucket}/prod", "--endpoint-url",
                     moto_s3.endpoint_url, "--json", cwd=repo.path, env=moto_s3.env())
    assert ok.rc == 0, ok.output
    assert ok.json()["store_reachable"] is True
    text = (repo.path / "offload.yaml").read_text()
    assert f'endpoint_url: "{moto_s3.endpoint_url}"' in text and "r2.cloudflarestorage" in text
    closed = GitRepo(tmp_path / "closed")
    down = run_offload("init", "--store", "s3://bucket", "--endpoint-url",
                       f"http://127.0.0.1:{closed_port}", cwd=closed.path, env=moto_s3.env())
    assert down.rc == 0 and "not reachable" in down.stderr
    assert (closed.path / "offload.yaml").exists()


def test_the_hook_reads_what_init_writes_without_yaml(repo: GitRepo) -> None:
    assert run_offload("init", cwd=repo.path).rc == 0
    repo.write("a.png", PNG)
    repo.add("a.png")
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=repo.path, env=cli_env(),
                          capture_output=True, text=True, check=True, timeout=60)
    assert proc.stdout.splitlines()[-1] == "1 "  # blocked, and no yaml/click/boto3 imported
