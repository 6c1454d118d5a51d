"""Upload benchmark: offload vs `rclone copy` against a local moto S3 server.

    .venv/bin/python bench/upload.py [--files 500] [--big-mib 1024] [--reps 3] [--big-reps 2]

Alternates offload (`offload put`, the real CLI) and rclone at the same concurrency, each run
into a fresh bucket, and prints medians, the offload/rclone ratio and offload's peak RSS
(from wait4 on the offload process itself).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from offload.store.rclone import find_rclone  # noqa: E402
from testing.servers import S3Server, moto_server  # noqa: E402

MIB = 1024 * 1024


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process; its CPU seconds are printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {err[-2000:]}")
    print(f"  {Path(cmd[0]).name} {cmd[3] if len(cmd) > 3 else ''}: {elapsed:.2f}s wall, "
          f"{usage.ru_utime + usage.ru_stime:.2f}s CPU", flush=True)
    return elapsed, usage.ru_maxrss * 1024


def make_files(folder: Path, count: int, size: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"img{n:04}.png").write_bytes(os.urandom(size))


def make_big(path: Path, mib: int) -> None:
    path.parent.mkdir(parents=True)
    block = os.urandom(MIB)
    with open(path, "wb") as out:
        for n in range(mib):
            out.write(n.to_bytes(8, "little") + block[8:])


class Runner:
    def __init__(self, server: S3Server, work: Path, jobs: int) -> None:
        self.server, self.work, self.jobs, self.n = server, work, jobs, 0
        self.rclone = find_rclone()
        self.env = {**os.environ, **server.env(), "PYTHONPATH": str(ROOT / "src"),
                    "RCLONE_CONFIG": str(work / "none.conf"),
                    "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
                    "RCLONE_CONFIG_BENCH_ENDPOINT": server.endpoint_url,
                    "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": server.access_key,
                    "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": server.secret_key}

    def bucket(self) -> str:
        self.n += 1
        name = f"bench-{self.n}"
        self.server.create_bucket(name)
        return name

    def offload(self, repo: Path, target: str) -> tuple[float, int]:
        (repo / "offload.yaml").write_text(
            f"store: s3://{self.bucket()}/run\npublic_url: https://cdn.invalid/run\n"
            f"s3: {{endpoint_url: \"{self.server.endpoint_url}\"}}\n")
        (repo / "offload.lock").unlink(missing_ok=True)
        return timed([sys.executable, "-m", "offload", "put", target, "--jobs", str(self.jobs)],
                     repo, self.env)

    def rclone_copy(self, source: Path) -> tuple[float, int]:
        return timed([self.rclone, "copy", str(source), f"bench:{self.bucket()}/run",
                      "--transfers", str(self.jobs), "--checkers", str(self.jobs),
                      "--s3-upload-concurrency", str(self.jobs), "--s3-chunk-size", "16M"],
                     self.work, self.env)


def compare(label: str, runner: Runner, repo: Path, target: str, reps: int) -> float:
    ours: list[float] = []
    theirs: list[float] = []
    rss: list[int] = []
    for _ in range(reps):
        seconds, peak = runner.offload(repo, target)
        ours.append(seconds)
        rss.append(peak)
        theirs.append(runner.rclone_copy(repo / target)[0])
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{label}: offload {a:.2f}s  rclone {b:.2f}s  ratio {a / b:.2f}  "
          f"offload peak RSS {max(rss) / MIB:.0f} MiB  (runs: offload "
          f"{[round(x, 2) for x in ours]}, rclone {[round(x, 2) for x in theirs]})", flush=True)
    return a / b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--file-kib", type=int, default=1024)
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--big-reps", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="offload-bench-") as tmp:
        work = Path(tmp)
        repo = work / "repo"
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        make_files(repo / "many", args.files, args.file_kib * 1024)
        if args.big_mib:
            make_big(repo / "big" / "film.mov", args.big_mib)
        with moto_server(work) as server:
            runner = Runner(server, work, args.jobs)
            if args.files and args.reps:
                compare(f"{args.files} x {args.file_kib} KiB", runner, repo, "many", args.reps)
            if args.big_mib and args.big_reps:
                compare(f"1 x {args.big_mib} MiB", runner, repo, "big", args.big_reps)


if __name__ == "__main__":
    main()
