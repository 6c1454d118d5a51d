"""Shortcuts for generation tests: run the CLI, read the manifest, point a repo at moto."""

from __future__ import annotations

from testing.cli import CliResult, run_offload
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
