"""The pre-commit framework installs offload itself (language: python) and runs its hook.

This is the path a team takes when it lists offload in .pre-commit-config.yaml: pre-commit
clones the repository at a revision, builds a virtual environment and pip-installs offload into
it from the package index configured on the machine. The checkout's committed HEAD is used.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from testing.cli import SRC
from testing.repos import GitRepo
from tests.guard.helpers import CONFIG, PNG

CHECKOUT = SRC.parent
pytestmark = pytest.mark.slow


def _head() -> str | None:
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=CHECKOUT, capture_output=True,
                          text=True)
    return done.stdout.strip() if done.returncode == 0 else None


@pytest.mark.skipif(_head() is None, reason="not a git checkout: nothing for pre-commit to clone")
def test_pre_commit_installs_offload_and_blocks_an_image(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("offload.yaml", CONFIG)
    config = {"repos": [{"repo": str(CHECKOUT), "rev": _head(),
                         "hooks": [{"id": "offload-check"}]}]}
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    repo.add("offload.yaml", ".pre-commit-config.yaml")
    repo.commit("configure")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "cache")
    tool = [sys.executable, "-m", "pre_commit"]
    installed = subprocess.run([*tool, "install-hooks"], cwd=repo.path, env=env,
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    subprocess.run([*tool, "install"], cwd=repo.path, env=env, check=True, capture_output=True)
    repo.write("frame.png", PNG)
    repo.add("frame.png")
    blocked = subprocess.run(["git", "commit", "-m", "image"], cwd=repo.path, env=env,
                             capture_output=True, text=True, timeout=300)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "Failed" in output and "frame.png" in output
    # The hook ran offload from the environment pre-commit built, not from this checkout.
    envs = list((tmp_path / "cache").glob("repo*/py_env-*/bin/offload"))
    assert envs, sorted(p.name for p in (tmp_path / "cache").iterdir())
