"""Peak memory of `offload migrate run` does not follow the size of the objects it migrates:
the history rewrite never reads a selected blob, and uploads stream from git."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testing.cli import cli_env
from testing.repos import GitRepo

from .helpers import PLAN, offload, show

MIB = 1024 * 1024
# Runs the CLI in-process and writes its own peak RSS (VmHWM, KiB) to the file argv[1]:
# not getrusage, whose ru_maxrss keeps the high-water mark of the forking test process.
MEASURE = """
import runpy, sys
out = sys.argv[1]
sys.argv = ["offload", *sys.argv[2:]]
try:
    runpy.run_module("offload", run_name="__main__")
finally:
    with open("/proc/self/status") as status, open(out, "w") as f:
        f.write(next(l.split()[1] for l in status if l.startswith("VmHWM:")))
"""


def binary(size: int) -> bytes:
    return (bytes(range(256)) * (size // 256 + 1))[:size]


def migrate_measured(root: Path, env: dict[str, str], size: int) -> int:
    """Peak RSS (bytes) of the run migrating a repository whose plain binary has ``size``."""
    repo = GitRepo(root)
    repo.commit_files({"art/big.bin": binary(size), "README.md": "![x](art/big.bin)\n"}, "art")
    repo.commit_files({"art/big.bin": binary(size)[::-1]}, "art v2")
    assert offload(repo, env, "migrate", "plan", "--include-plain").rc == 0
    rss = root.parent / f"{root.name}.rss"
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(rss), "migrate", "run", PLAN, "--force"],
        cwd=root, env=cli_env(env), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "art/big.bin" not in repo.git("log", "--branches", "--name-only", "--format=")
    assert "art/big.bin" not in show(repo, "HEAD", "README.md")
    return int(rss.read_text()) * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_peak_rss_does_not_follow_object_size(tmp_path: Path, env: dict[str, str]) -> None:
    small = migrate_measured(tmp_path / "small", env, 2 * MIB)
    large = migrate_measured(tmp_path / "large", env, 64 * MIB)
    assert large - small < 24 * MIB, (small // MIB, large // MIB)
