"""Shortcuts for generation tests: run the CLI, read the manifest, point a repo at moto."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from testing.cli import CliResult, cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server


def generate(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> CliResult:
    return run_offload("generate", *args, cwd=repo.path, env=env)


def turnaround(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> CliResult:
    return generate(repo, "turnaround", *args, env=env)


def manifest_lines(repo: GitRepo) -> list[str]:
    path = repo.path / "offload.lock"
    return path.read_text().splitlines() if path.exists() else []


def use_s3(repo: GitRepo, server: S3Server, bucket: str) -> dict[str, str]:
    """Point ``repo`` at ``bucket`` on moto; return the environment the CLI needs."""
    repo.write("offload.yaml", f"store: s3://{bucket}/prod\n"
               "public_url: https://pub.example.test/prod\n"
               f"s3:\n  endpoint_url: {server.endpoint_url}\n  region: us-east-1\n")
    return server.env()


def start(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``offload generate args… --json`` started in the background (for parallel runs)."""
    return subprocess.Popen(
        [sys.executable, "-m", "offload", "generate", *args, "--json"],
        cwd=cwd, env=cli_env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(procs: list[subprocess.Popen[str]]) -> list[dict[str, object]]:
    """Each started run's JSON record; every run must have succeeded."""
    records = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        records.append(json.loads(out))
    return records
