"""The real pre-commit tool runs the offload-check hook of .pre-commit-hooks.yaml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from testing.cli import SRC, cli_env
from testing.repos import GitRepo
from tests.guard.helpers import PNG, configured

HOOKS_FILE = SRC.parent / ".pre-commit-hooks.yaml"


def test_hook_definition_is_deliberate() -> None:
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text())
    assert hook["id"] == "offload-check"
    assert hook["pass_filenames"] is False and hook["always_run"] is True
    assert hook["stages"] == ["pre-commit", "pre-push"]


def test_pre_commit_blocks_an_image_and_passes_text(tmp_path: Path) -> None:
    # Offline: the published hook (language: python) would pip-install offload; here the same
    # definition runs with this interpreter, which already has offload importable.
    (hook,) = yaml.safe_load(HOOKS_FILE.read_text())
    hook["language"] = "unsupported"
    hook["entry"] = hook["entry"].replace("python", sys.executable, 1)
    repo = configured(GitRepo(tmp_path / "repo"))
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]})
    repo.write(".pre-commit-config.yaml", config)
    env = cli_env({"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": os.environ["PATH"]})
    tool = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*tool, "install"], cwd=repo.path, env=env, check=True, capture_output=True)
    repo.write("frame.png", PNG)
    repo.add(".pre-commit-config.yaml", "frame.png")
    blocked = subprocess.run(["git", "commit", "-m", "image"], cwd=repo.path, env=env,
                             capture_output=True, text=True)
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "offload check" in output and "Failed" in output and "frame.png" in output
    repo.git("rm", "-q", "--cached", "frame.png")
    repo.write("notes.txt", "just text\n")
    repo.add("notes.txt")
    passed = subprocess.run(["git", "commit", "-m", "text"], cwd=repo.path, env=env,
                            capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout + passed.stderr
