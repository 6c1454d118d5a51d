"""The timed jobs of the migration benchmark, each on its own fresh clone.

offload's ``migrate plan`` / ``run`` / ``verify`` to an ``s3://`` store; ``git lfs migrate export
--everything``; ``rclone copy`` of ``.git/lfs/objects`` followed by a ``git filter-repo`` path
strip. Also the S3 server each benchmark round stores into (moto or SeaweedFS).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from bench._common import Measured, mib, run_measured
from testing.servers import S3Server, moto_server, seaweedfs_server

BUCKET = "bench"
PATTERNS = ("*.png",)  # what synthrepo tracks with LFS
SERVERS = ("moto", "seaweedfs")


@dataclass(frozen=True)
class OffloadSteps:
    plan: Measured
    run: Measured
    verify: Measured | None

    @property
    def seconds(self) -> float:
        return self.plan.seconds + self.run.seconds


def tool(name: str) -> str:
    """A tool next to the interpreter (the project's venv) first, then on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (next to {sys.executable} or on PATH)")
    return found


def check_tools() -> None:
    for name in ("git-filter-repo", "rclone"):
        tool(name)
    if not shutil.which("git-lfs"):
        raise SystemExit("git-lfs not found on PATH")


@contextmanager
def s3_server(kind: str, work: Path) -> Iterator[S3Server]:
    """moto (objects in memory: small runs) or SeaweedFS (on disk: large ones), with the bucket."""
    folder = work / f"{kind}-server"
    folder.mkdir()
    server_context = seaweedfs_server if kind == "seaweedfs" else moto_server
    with server_context(folder) as server:
        server.create_bucket(BUCKET)
        yield server


def base_env(server: S3Server, work: Path) -> dict[str, str]:
    env = {**os.environ, **server.env(), "GIT_LFS_SKIP_SMUDGE": "1",
           "GIT_TERMINAL_PROMPT": "0", "RCLONE_CONFIG": str(work / "rclone-none.conf")}
    # src layout: the offload package of this checkout, whatever is installed
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


def run_offload(clone: Path, server: S3Server, prefix: str, env: dict[str, str],
                timeout: float, verify: bool = False) -> OffloadSteps:
    (clone / "offload.yaml").write_text(
        f"store: s3://{BUCKET}/{prefix}\n"
        f"public_url: https://cdn.bench.invalid/{prefix}\n"
        f"s3:\n  endpoint_url: {server.endpoint_url}\n  region: {server.region}\n")
    plan_file = clone / "migrations" / "0001-bench.yaml"
    offload = [sys.executable, "-m", "offload", "migrate"]
    plan = run_measured([*offload, "plan", "-o", str(plan_file)], clone, env, timeout,
                        beside=server.pid).check("offload migrate plan")
    progress("offload migrate plan", plan)
    cmd = [*offload, "run", str(plan_file)]
    run = run_measured(cmd, clone, env, timeout, beside=server.pid)
    if run.returncode != 0 and "fresh clone" in run.stderr + run.stdout:
        print("  (offload refused: not a fresh clone; rerunning with --force)", flush=True)
        again = run_measured([*cmd, "--force"], clone, env, timeout, beside=server.pid)
        run = replace(again, seconds=run.seconds + again.seconds,
                      peak_rss=max(run.peak_rss, again.peak_rss), cpu=run.cpu + again.cpu,
                      beside_cpu=(run.beside_cpu or 0) + (again.beside_cpu or 0))
    progress("offload migrate run", run.check("offload migrate run"))
    checked = None
    if verify:
        checked = run_measured([*offload, "verify", str(plan_file)], clone, env, timeout,
                               keep_timeout=True, beside=server.pid
                               ).check("offload migrate verify")
        progress("offload migrate verify", checked)
    return OffloadSteps(plan, run, checked)


def progress(step: str, measured: Measured) -> None:
    """Each step's figures as soon as it ends, so a run stopped later still has them."""
    bound = " (timed out)" if measured.timed_out else ""
    print(f"  {step}: {measured.seconds:.1f}s{bound}, peak RSS {mib(measured.peak_rss)}",
          flush=True)


def run_lfs_export(clone: Path, env: dict[str, str], timeout: float) -> Measured:
    include = ",".join(PATTERNS)
    return run_measured(["git", "lfs", "migrate", "export", "--everything",
                         f"--include={include}"], clone, env, timeout
                        ).check("git lfs migrate export")


def run_rclone_filter(clone: Path, server: S3Server, prefix: str, env: dict[str, str],
                      timeout: float) -> tuple[Measured, Measured]:
    renv = {**env,
            "RCLONE_CONFIG_BENCH_TYPE": "s3",
            "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
            "RCLONE_CONFIG_BENCH_ENDPOINT": server.endpoint_url,
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": server.access_key,
            "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": server.secret_key,
            "RCLONE_CONFIG_BENCH_REGION": server.region}
    copy = run_measured([tool("rclone"), "copy", str(clone / ".git" / "lfs" / "objects"),
                         f"bench:{BUCKET}/{prefix}"], clone, renv, timeout,
                        beside=server.pid).check("rclone copy")
    globs: list[str] = []
    for pattern in PATTERNS:
        globs += ["--path-glob", pattern]
    strip = run_measured([tool("git-filter-repo"), *globs, "--invert-paths", "--force"],
                         clone, env, timeout).check("git filter-repo")
    return copy, strip


def run_s3_floor(clone: Path, server: S3Server, prefix: str, env: dict[str, str],
                 timeout: float) -> Measured:
    """bench/s3floor.py: the same LFS objects sent by s3transfer alone."""
    script = Path(__file__).with_name("s3floor.py")
    return run_measured([sys.executable, str(script), str(clone / ".git" / "lfs" / "objects"),
                         BUCKET, prefix], clone,
                        {**env, "OFFLOAD_BENCH_ENDPOINT": server.endpoint_url}, timeout,
                        beside=server.pid).check("s3transfer upload")


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"
