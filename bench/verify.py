"""Benchmark `offload verify` (metadata) and `verify --deep` against `rclone check --download`.

    .venv/bin/python bench/verify.py [--files 500] [--file-kib 1024] [--jobs 8] [--reps 3]

N files are uploaded once with `offload put` to a local moto server; then, alternating, the
three checks run over the same objects at the same concurrency (rclone: --checkers = jobs,
comparing against the local copies it downloads and hashes). Prints medians and peak RSS of
each process tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from _common import mib, run_measured  # noqa: E402

from offload.store.rclone import find_rclone  # noqa: E402
from testing.servers import moto_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--file-kib", type=int, default=1024)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="offload-bench-") as tmp:
        work = Path(tmp)
        repo = work / "repo"
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / "many").mkdir()
        for n in range(args.files):
            (repo / "many" / f"img{n:04}.png").write_bytes(os.urandom(args.file_kib * 1024))
        with moto_server(work) as server:
            server.create_bucket("bench")
            env = {**os.environ, **server.env(), "PYTHONPATH": str(ROOT / "src"),
                   "RCLONE_CONFIG": str(work / "none.conf"),
                   "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
                   "RCLONE_CONFIG_BENCH_ENDPOINT": server.endpoint_url,
                   "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": server.access_key,
                   "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": server.secret_key}
            (repo / "offload.yaml").write_text(
                f"store: s3://bench/run\ns3: {{endpoint_url: \"{server.endpoint_url}\"}}\n")
            offload = [sys.executable, "-m", "offload"]
            jobs = ["--jobs", str(args.jobs)]
            put = run_measured([*offload, "put", "many", *jobs], repo, env).check("put")
            print(f"put: {put.seconds:.2f}s", flush=True)
            mirror = work / "mirror"  # the local copies under their keys, for rclone to compare
            for line in (repo / "offload.lock").read_text().splitlines():
                entry = json.loads(line)
                (mirror / entry["key"]).parent.mkdir(parents=True, exist_ok=True)
                os.link(repo / entry["path"], mirror / entry["key"])
            checks = {
                "offload verify": [*offload, "verify", *jobs],
                "offload verify --deep": [*offload, "verify", "--deep", *jobs],
                "rclone check --download": [
                    find_rclone(), "check", "--download", "--one-way", "--checkers",
                    str(args.jobs), str(mirror), "bench:bench/run"],
            }
            seconds: dict[str, list[float]] = {name: [] for name in checks}
            peaks: dict[str, int] = dict.fromkeys(checks, 0)
            for _ in range(args.reps):
                for name, cmd in checks.items():
                    done = run_measured(cmd, repo, env).check(name)
                    seconds[name].append(done.seconds)
                    peaks[name] = max(peaks[name], done.peak_rss)
            for name in checks:
                print(f"{name}: median {statistics.median(seconds[name]):.2f}s "
                      f"(runs {[round(s, 2) for s in seconds[name]]}), "
                      f"peak RSS {mib(peaks[name])}", flush=True)


if __name__ == "__main__":
    main()
