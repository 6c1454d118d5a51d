"""Run the guard's entry point as git hooks do: a fresh interpreter in the work tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from testing.cli import cli_env
from testing.repos import GitRepo

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))
CONFIG = 'artifacts:\n  include: ["*.png", "*.jpg", "*.mp4"]\n  max_bytes: 4096\n  allow: []\n'
# A made-up secret of the AWS shape (40 characters, mixed case, digits, / and +).
FAKE_SECRET = "q8Rt3vWz1Lm9Kd2Xp7Yh4Nc6Bf0Gs5Tj/Ua+Ve8H"


def guard(cwd: Path, *args: str, stdin: str | None = None,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "offload.guard", *args], cwd=cwd,
                          env=cli_env(env), input=stdin, capture_output=True, text=True,
                          timeout=60)


def check_json(cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    proc = guard(cwd, "check", *args, "--json")
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def found(report: dict[str, Any]) -> dict[str, str]:
    return {f["path"]: f["kind"] for f in report["findings"]}


def configured(repo: GitRepo, config: str = CONFIG) -> GitRepo:
    repo.write("offload.yaml", config)
    repo.add("offload.yaml")
    repo.commit("offload config")
    return repo


def hook_env() -> dict[str, str]:
    return {"OFFLOAD_PYTHON": sys.executable, "PYTHONPATH": cli_env()["PYTHONPATH"],
            "PATH": os.environ["PATH"]}


def store_holds(repo: GitRepo, data: bytes) -> bool:
    """Whether the repository's local store holds an object with exactly ``data``."""
    store = repo.path / ".git" / "offload" / "store"
    return any(p.is_file() and p.read_bytes() == data for p in store.rglob("*"))
