"""Benchmark watch mode against `rclone copy` on a local S3 server (moto).

    .venv/bin/python bench/watch.py [--files 500] [--size-mib 1] [--jobs 8]

Burst: N files written into a watched folder; the burst drain is the time from the first write
until every file is in the store and the manifest. Against it: `rclone copy` of the same folder
after the burst, at the same concurrency (--transfers = --checkers = watch.jobs), into an empty
bucket of the same server, with the daemon stopped. Two ratios, both against the 1.2x target:
drain / rclone copy alone (strict: the drain includes writing the burst, the copy does not) and
drain / (write + rclone copy) (both start when the burst starts). Also the median latency from
a single file's close to its upload, the daemon's CPU use while idle, and the cost of one
/proc scan for writers (the check before a finished-looking file is handed over;
``--writer-scan`` measures only that).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def wait(check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SystemExit("benchmark timed out")
        time.sleep(0.01)


class ManifestCount:
    """Lines in offload.lock, re-read only when it was replaced (keeps the wait loop cheap)."""

    def __init__(self, root: Path) -> None:
        self.path = root / "offload.lock"
        self.stat: tuple[int, int, int] | None = None
        self.count = 0

    def __call__(self) -> int:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return 0
        if (st.st_ino, st.st_mtime_ns, st.st_size) != self.stat:
            self.stat = (st.st_ino, st.st_mtime_ns, st.st_size)
            self.count = sum(1 for line in self.path.read_text().splitlines() if line)
        return self.count


def object_count(s3: object, bucket: str, prefix: str) -> int:
    client = s3.client()  # type: ignore[attr-defined]
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sum(len(page.get("Contents", [])) for page in pages)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def writer_scan() -> str:
    """Time one /proc/*/fd pass over this machine's processes, as the daemon does it."""
    from offload.watch.writers import open_for_writing

    with tempfile.NamedTemporaryFile() as handle:
        paths = [handle.name] + [f"/nonexistent/{i}.png" for i in range(63)]
        rounds = 20
        begin = time.perf_counter()
        for _ in range(rounds):
            found = open_for_writing(paths)
        per_scan = (time.perf_counter() - begin) / rounds * 1000
    assert found == {handle.name}
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    fds = sum(len(os.listdir(f"/proc/{p}/fd")) for p in pids if os.access(f"/proc/{p}/fd", os.R_OK))
    return (f"writer check: one /proc scan for 64 candidates {per_scan:.1f} ms "
            f"({len(pids)} processes, {fds} visible descriptors)")


def main() -> None:
    from testing.cli import cli_env
    from testing.repos import GitRepo
    from testing.servers import moto_server, stop_process

    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--size-mib", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--singles", type=int, default=15)
    parser.add_argument("--writer-scan", action="store_true", help="only time the /proc scan")
    args = parser.parse_args()
    if args.writer_scan:
        print(writer_scan())
        return
    size = int(args.size_mib * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="offload-bench-") as tmp, moto_server(Path(tmp)) as s3:
        base = Path(tmp)
        for bucket in ("watch", "rclone"):
            s3.create_bucket(bucket)
        repo = GitRepo(base / "repo")
        repo.commit("initial", allow_empty=True)
        (repo.path / "offload.yaml").write_text(
            f"store: s3://watch/bench\ns3:\n  endpoint_url: {s3.endpoint_url}\n"
            f"  region: us-east-1\nwatch:\n  paths: [outputs/]\n  jobs: {args.jobs}\n")
        out = repo.path / "outputs"
        out.mkdir()
        env = cli_env(s3.env())
        log = open(base / "watch.log", "wb")
        daemon = subprocess.Popen([sys.executable, "-m", "offload", "watch"], cwd=repo.path,
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait(lambda: (repo.path / ".git/offload/watch/daemon.pid").exists(), 30)
            payload = os.urandom(size)
            start = time.monotonic()
            for i in range(args.files):
                (out / f"shot-{i:04}.png").write_bytes(payload[:-8] + i.to_bytes(8, "big"))
            written = time.monotonic()
            count = ManifestCount(repo.path)
            wait(lambda: count() >= args.files, 600)
            watch_total = time.monotonic() - start
            stored = object_count(s3, "watch", "bench/")

            db = sqlite3.connect(f"file:{repo.path}/.git/offload/watch/queue.sqlite?mode=ro",
                                 uri=True)
            latencies = []
            burst_cpu = cpu_seconds(daemon.pid)
            query = "SELECT done_at FROM files WHERE path=? AND state='done'"
            for i in range(args.singles):
                name = f"outputs/single-{i:02}.png"
                (repo.path / name).write_bytes(payload[: size // 2])
                closed = time.time()
                wait(lambda n=name: db.execute(query, (n,)).fetchone(), 60)
                latencies.append(db.execute(query, (name,)).fetchone()[0] - closed)
            idle_from = cpu_seconds(daemon.pid)
            time.sleep(5)
            idle_cpu = (cpu_seconds(daemon.pid) - idle_from) / 5 * 100
        finally:
            stop_process(daemon)
            log.close()
        for single in out.glob("single-*"):
            single.unlink()
        rclone_env = {**env, "RCLONE_CONFIG_BENCH_TYPE": "s3", "RCLONE_CONFIG_BENCH_PROVIDER":
                      "Other", "RCLONE_CONFIG_BENCH_ENDPOINT": s3.endpoint_url,
                      "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": s3.access_key,
                      "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": s3.secret_key,
                      "RCLONE_CONFIG_BENCH_REGION": s3.region}
        rclone = str(ROOT / ".venv/bin/rclone")
        begin = time.monotonic()
        subprocess.run([rclone, "copy", str(out), "bench:rclone/bench", "--transfers",
                        str(args.jobs), "--checkers", str(args.jobs)], env=rclone_env,
                       check=True)
        rclone_copy = time.monotonic() - begin
        copied = object_count(s3, "rclone", "bench/")
    if stored < args.files or copied < args.files:
        raise SystemExit(f"incomplete: {stored} objects from watch, {copied} from rclone")
    write_time = written - start
    print(f"burst: {args.files} x {args.size_mib:g} MiB, {args.jobs} parallel uploads")
    print(f"  write the burst:                  {write_time:7.2f} s")
    print(f"  watch burst drain (first write -> all in store + manifest): {watch_total:7.2f} s "
          f"({watch_total - write_time:.2f} s after the last write; daemon CPU {burst_cpu:.1f} s)")
    print(f"  rclone copy of the folder after the burst ({args.jobs} transfers): "
          f"{rclone_copy:7.2f} s (write + copy: {write_time + rclone_copy:.2f} s)")
    print(f"  ratio drain / rclone copy alone:     {watch_total / rclone_copy:.2f}x"
          "  (target <= 1.2x)")
    print(f"  ratio drain / (write + rclone copy): {watch_total / (write_time + rclone_copy):.2f}x"
          "  (target <= 1.2x)")
    print(f"single files: median close -> uploaded {statistics.median(latencies) * 1000:.0f} ms"
          f" (n={len(latencies)}, settle 300 ms)")
    print(f"idle CPU of the daemon over 5 s: {idle_cpu:.2f} %")
    print(writer_scan())


if __name__ == "__main__":
    main()
