"""Shared assertions for migration tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from testing.cli import CliResult, run_offload
from testing.repos import GitRepo

from .conftest import PUBLIC, png

PLAN = "migrations/0001-lfs-to-store.yaml"


def offload(repo: GitRepo, env: dict[str, str], *args: str) -> CliResult:
    return run_offload(*args, cwd=repo.path, env=env)


def plan_data(repo: GitRepo, name: str = PLAN) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((repo.path / name).read_text(encoding="utf-8"))
    return data


def hero_url(tag: str) -> str:
    sha = hashlib.sha256(png(tag)).hexdigest()
    return f"{PUBLIC}/chars/hero.{sha[:12]}.png"


def show(repo: GitRepo, rev: str, path: str) -> str:
    return repo.git("show", f"{rev}:{path}")


def refs(repo: GitRepo) -> dict[str, str]:
    out = repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")
    return dict(line.split() for line in out.splitlines())


def store_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and ".offload-meta" not in p.parts)
