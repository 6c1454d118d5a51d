"""Migration benchmark: offload's history migration against the tools it replaces.

On one synthetic LFS repository (a fresh clone per tool, LFS objects fetched before timing)
and one local moto S3 server, three jobs are timed:

* offload: ``offload migrate plan`` + ``offload migrate run PLAN`` to an ``s3://`` store;
* ``git lfs migrate export --everything --include=…`` (history rewrite only);
* ``rclone copy .git/lfs/objects`` to the same server, then ``git filter-repo --path-glob …
  --invert-paths`` (back to back).

The whole round is repeated at twice the size. Targets (SPEC, issue 3): offload <= 1.0x the
rclone + filter-repo pair, <= 1.0x ``git lfs migrate export``, doubling costs <= 2.2x.

Run from the repository root: ``.venv/bin/python -m bench.migrate [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Measured, mib, run_measured
from bench.synthrepo import SynthRepo, SynthSpec, fresh_clone, make_synthetic_repo
from testing.servers import S3Server, moto_server

BUCKET = "bench"
PATTERNS = ("*.png",)  # what synthrepo tracks with LFS
STEP_TIMEOUT = 1800.0
TARGETS = {"vs_rclone": 1.0, "vs_lfs": 1.0, "doubling": 2.2}


@dataclass(frozen=True)
class Round:
    spec: SynthSpec
    lfs_bytes: int
    offload_plan: Measured
    offload_run: Measured
    lfs_export: Measured
    rclone: Measured
    filter_repo: Measured

    @property
    def offload(self) -> float:
        return self.offload_plan.seconds + self.offload_run.seconds

    @property
    def offload_rss(self) -> int:
        return max(self.offload_plan.peak_rss, self.offload_run.peak_rss)

    @property
    def rclone_filter(self) -> float:
        return self.rclone.seconds + self.filter_repo.seconds


def tool(name: str) -> str:
    """A tool next to the interpreter (the project's venv) first, then on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (next to {sys.executable} or on PATH)")
    return found


def base_env(server: S3Server, work: Path) -> dict[str, str]:
    env = {**os.environ, **server.env(), "GIT_LFS_SKIP_SMUDGE": "1",
           "GIT_TERMINAL_PROMPT": "0", "RCLONE_CONFIG": str(work / "rclone-none.conf")}
    # src layout: the offload package of this checkout, whatever is installed
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


def run_offload(clone: Path, server: S3Server, prefix: str, env: dict[str, str]
                ) -> tuple[Measured, Measured]:
    (clone / "offload.yaml").write_text(
        f"store: s3://{BUCKET}/{prefix}\n"
        f"public_url: https://cdn.bench.invalid/{prefix}\n"
        f"s3:\n  endpoint_url: {server.endpoint_url}\n  region: {server.region}\n")
    plan_file = clone / "migrations" / "0001-bench.yaml"
    py = sys.executable
    plan = run_measured([py, "-m", "offload", "migrate", "plan", "-o", str(plan_file)],
                        clone, env, STEP_TIMEOUT).check("offload migrate plan")
    cmd = [py, "-m", "offload", "migrate", "run", str(plan_file)]
    run = run_measured(cmd, clone, env, STEP_TIMEOUT)
    if run.returncode != 0 and "fresh clone" in run.stderr + run.stdout:
        print("  (offload refused: not a fresh clone; rerunning with --force)", flush=True)
        again = run_measured([*cmd, "--force"], clone, env, STEP_TIMEOUT)
        run = replace(again, seconds=run.seconds + again.seconds,
                      peak_rss=max(run.peak_rss, again.peak_rss))
    return plan, run.check("offload migrate run")


def run_lfs_export(clone: Path, env: dict[str, str]) -> Measured:
    include = ",".join(PATTERNS)
    return run_measured(["git", "lfs", "migrate", "export", "--everything",
                         f"--include={include}"], clone, env, STEP_TIMEOUT
                        ).check("git lfs migrate export")


def run_rclone_filter(clone: Path, server: S3Server, prefix: str, env: dict[str, str]
                      ) -> tuple[Measured, Measured]:
    renv = {**env,
            "RCLONE_CONFIG_BENCH_TYPE": "s3",
            "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
            "RCLONE_CONFIG_BENCH_ENDPOINT": server.endpoint_url,
            "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": server.access_key,
            "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": server.secret_key,
            "RCLONE_CONFIG_BENCH_REGION": server.region}
    copy = run_measured([tool("rclone"), "copy", str(clone / ".git" / "lfs" / "objects"),
                         f"bench:{BUCKET}/{prefix}"], clone, renv, STEP_TIMEOUT
                        ).check("rclone copy")
    globs: list[str] = []
    for pattern in PATTERNS:
        globs += ["--path-glob", pattern]
    strip = run_measured([tool("git-filter-repo"), *globs, "--invert-paths", "--force"],
                         clone, env, STEP_TIMEOUT).check("git filter-repo")
    return copy, strip


def one_round(spec: SynthSpec, label: str, work: Path, server: S3Server) -> Round:
    env = base_env(server, work)
    root = work / label
    root.mkdir()
    print(f"[{label}] building {spec.commits} commits / {spec.objects} objects of "
          f"{spec.object_size} bytes / {spec.documents} documents", flush=True)
    repo: SynthRepo = make_synthetic_repo(root / "remote.git", spec)

    def clone(name: str) -> Path:
        return fresh_clone(repo, root / name)

    print(f"[{label}] offload migrate plan + run", flush=True)
    plan, run = run_offload(clone("offload"), server, f"offload-{label}", env)
    print(f"[{label}]   {plan.seconds + run.seconds:.2f}s, peak RSS {mib(run.peak_rss)}",
          flush=True)
    print(f"[{label}] git lfs migrate export", flush=True)
    export = run_lfs_export(clone("lfs-export"), env)
    print(f"[{label}]   {export.seconds:.2f}s", flush=True)
    print(f"[{label}] rclone copy + git filter-repo", flush=True)
    copy, strip = run_rclone_filter(clone("rclone"), server, f"rclone-{label}", env)
    print(f"[{label}]   {copy.seconds:.2f}s + {strip.seconds:.2f}s", flush=True)
    result = Round(spec, repo.lfs_bytes, plan, run, export, copy, strip)
    shutil.rmtree(root, ignore_errors=True)
    return result


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def report(one: Round, two: Round) -> bool:
    rows = [("offload migrate plan", "plan"), ("offload migrate run", "run"),
            ("offload total", "offload"), ("git lfs migrate export", "export"),
            ("rclone copy", "copy"), ("git filter-repo", "strip"),
            ("rclone + filter-repo", "pair")]

    def value(r: Round, key: str) -> float:
        return {"plan": r.offload_plan.seconds, "run": r.offload_run.seconds,
                "offload": r.offload, "export": r.lfs_export.seconds,
                "copy": r.rclone.seconds, "strip": r.filter_repo.seconds,
                "pair": r.rclone_filter}[key]

    print()
    for r, name in ((one, "1x"), (two, "2x")):
        print(f"{name}: {r.spec.commits} commits, {r.spec.objects} objects x "
              f"{r.spec.object_size} B ({mib(r.lfs_bytes)}), {r.spec.documents} documents")
    print()
    print(f"{'job':<26}{'1x (s)':>10}{'2x (s)':>10}{'2x/1x':>8}")
    for title, key in rows:
        a, b = value(one, key), value(two, key)
        print(f"{title:<26}{a:>10.2f}{b:>10.2f}{b / a:>8.2f}")
    print()
    ok = True
    lines = []
    for r, name in ((one, "1x"), (two, "2x")):
        vs_pair = r.offload / r.rclone_filter
        vs_lfs = r.offload / r.lfs_export.seconds
        ok &= vs_pair <= TARGETS["vs_rclone"] and vs_lfs <= TARGETS["vs_lfs"]
        lines.append(f"offload / (rclone copy + filter-repo) at {name}: {vs_pair:.2f} "
                     f"(target <= {TARGETS['vs_rclone']}) {verdict(vs_pair, 1.0)}")
        lines.append(f"offload / git lfs migrate export at {name}:       {vs_lfs:.2f} "
                     f"(target <= {TARGETS['vs_lfs']}) {verdict(vs_lfs, 1.0)}")
    doubling = two.offload / one.offload
    ok &= doubling <= TARGETS["doubling"]
    lines.append(f"offload doubling (2x time / 1x time):           {doubling:.2f} "
                 f"(target <= {TARGETS['doubling']}) {verdict(doubling, TARGETS['doubling'])}")
    for r, name in ((one, "1x"), (two, "2x")):
        lines.append(f"offload peak RSS at {name} (process tree): "
                     f"plan {mib(r.offload_plan.peak_rss)}, run {mib(r.offload_run.peak_rss)}")
    print("\n".join(lines))
    return ok


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--object-size", type=int, default=64 * 1024, help="bytes per object")
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true",
                        help="a small run (40 commits, 120 objects of 16 KiB, 8 documents)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.quick:
        spec = SynthSpec(40, 120, 16 * 1024, 8, args.seed)
    else:
        spec = SynthSpec(args.commits, args.objects, args.object_size, args.documents, args.seed)
    for name in ("git-filter-repo", "rclone"):
        tool(name)
    if not shutil.which("git-lfs"):
        raise SystemExit("git-lfs not found on PATH")
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="offload-bench-", dir=args.work) as tmp:
        work = Path(tmp)
        with moto_server(work) as server:
            server.create_bucket(BUCKET)
            one = one_round(spec, "1x", work, server)
            two = one_round(spec.doubled(), "2x", work, server)
        ok = report(one, two)
    print("all targets met" if ok else "some targets missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
