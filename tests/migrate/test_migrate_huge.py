"""A 2 GiB LFS object goes through `offload migrate plan` + `run` (real git-lfs, file://
remote, local store) while the offload process stays far below the object's size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing.cli import cli_env
from testing.repos import LfsRepo

from .helpers import PLAN, offload, plan_data, show
from .test_migrate_memory import MEASURE

MIB = 1024 * 1024
SIZE = 2 * 1024 * MIB


def write_streamed(path: Path, size: int) -> None:
    """``size`` bytes written a MiB at a time (each MiB distinct): never held in memory."""
    block = bytes(range(256)) * (MIB // 256)
    with path.open("wb") as out:
        for n in range(size // MIB):
            out.write(n.to_bytes(8, "big") + block[8:])


def peak_rss(cwd: Path, env: dict[str, str], *args: str) -> int:
    """Run the CLI; return its own peak RSS (VmHWM) in bytes."""
    out = cwd.parent / "vmhwm"
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(out), *args], cwd=cwd,
                          env=cli_env(env), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return int(out.read_text()) * 1024


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_two_gib_lfs_object_is_streamed(tmp_path: Path, env: dict[str, str]) -> None:
    try:
        origin = LfsRepo(tmp_path / "origin")
        write_streamed(origin.path / "huge.png", SIZE)
        origin.write("README.md", "![huge](huge.png)\n")
        origin.add("huge.png", "README.md")
        origin.commit("a 2 GiB asset")
        (origin.path / "huge.png").unlink()
        origin.push()
        shutil.rmtree(origin.path / ".git" / "lfs" / "objects")
        clone = origin.clone(tmp_path / "clone", skip_smudge=True)
        assert offload(clone, env, "migrate", "plan").rc == 0
        assert plan_data(clone)["summary"]["bytes"] == SIZE
        rss = peak_rss(clone.path, env, "migrate", "run", PLAN)
        result = plan_data(clone)["result"]
        assert result["verification"]["ok"], result["verification"]
        assert result["bytes"] == SIZE
        stored = [p for p in Path(env["OFFLOAD_STORE"]).rglob("*") if p.is_file()
                  and p.stat().st_size == SIZE]
        assert len(stored) == 1
        assert "huge.png" not in clone.git("log", "--branches", "--tags", "--name-only", "--format=")
        assert "https://" in show(clone, "HEAD", "README.md")
        assert rss < 200 * MIB, rss // MIB
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)
