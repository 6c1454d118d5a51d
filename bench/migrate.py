"""Migration benchmark: offload's history migration against the tools it replaces.

On one synthetic LFS repository (a fresh clone per tool, LFS objects in place before timing)
and one local moto S3 server, three jobs are timed:

* offload: ``offload migrate plan`` + ``offload migrate run PLAN`` to an ``s3://`` store;
* ``git lfs migrate export --everything --include=…`` (history rewrite only);
* ``rclone copy .git/lfs/objects`` to the same server, then ``git filter-repo --path-glob …
  --invert-paths`` (back to back).

The whole round is repeated at twice the size. Targets (SPEC, issue 3): offload <= 1.0x the
rclone + filter-repo pair, <= 1.0x ``git lfs migrate export``, doubling costs <= 2.2x.

Run from the repository root: ``.venv/bin/python -m bench.migrate [--quick]``.

``--scale large`` (or ``--scale F``) runs the production shape instead (``bench.migrate_large``:
10,000 commits with branches and merges, 20,000 objects, ~5 GB, on SeaweedFS) and adds
``migrate verify``; ``--sweep [F,F,...]`` runs several scales and reports growth per doubling.
``--history-only [--tree-scale F]`` scales only the commits, branches and tags, over the objects
and documents of one scale (default 1): whether time and memory follow the history or the tree.
``--offload-only`` leaves out the anchors (git lfs migrate export, rclone + filter-repo and the
s3transfer floor) and reports the ratios to them as not computed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Measured, mib
from bench.migrate_steps import (
    SERVERS,
    base_env,
    check_tools,
    run_lfs_export,
    run_offload,
    run_rclone_filter,
    s3_server,
    verdict,
)
from bench.synthlarge import LargeSpec
from bench.synthrepo import SynthRepo, SynthSpec, fresh_clone, make_synthetic_repo
from testing.servers import S3Server

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
    steps = run_offload(clone("offload"), server, f"offload-{label}", env, STEP_TIMEOUT)
    plan, run = steps.plan, steps.run
    print(f"[{label}]   {plan.seconds + run.seconds:.2f}s, peak RSS {mib(run.peak_rss)}",
          flush=True)
    print(f"[{label}] git lfs migrate export", flush=True)
    export = run_lfs_export(clone("lfs-export"), env, STEP_TIMEOUT)
    print(f"[{label}]   {export.seconds:.2f}s", flush=True)
    print(f"[{label}] rclone copy + git filter-repo", flush=True)
    copy, strip = run_rclone_filter(clone("rclone"), server, f"rclone-{label}", env,
                                    STEP_TIMEOUT)
    print(f"[{label}]   {copy.seconds:.2f}s + {strip.seconds:.2f}s", flush=True)
    result = Round(spec, repo.lfs_bytes, plan, run, export, copy, strip)
    shutil.rmtree(root, ignore_errors=True)
    return result


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


def scale_value(text: str) -> float:
    value = 1.0 if text == "large" else float(text)
    if not 0 < value <= 4:
        raise argparse.ArgumentTypeError("a scale is 'large' (1) or a number in (0, 4]")
    return value


def scales(text: str) -> list[float]:
    return sorted(scale_value(part) for part in text.split(","))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--object-size", type=int, default=64 * 1024, help="bytes per object")
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true",
                        help="a small run (40 commits, 120 objects of 16 KiB, 8 documents)")
    parser.add_argument("--scale", type=scale_value, metavar="large|F",
                        help="the production shape (10,000 commits, 20,000 objects of 50 KiB-8 "
                             "MiB, ~5 GB, 500 documents, 300 branches) times F ('large' = 1)")
    parser.add_argument("--sweep", type=scales, nargs="?", const="0.25,0.5,1",
                        metavar="F,F,...", help="the production shape at each scale "
                        "(default 0.25,0.5,1) and how time and memory grow per doubling")
    parser.add_argument("--history-only", action="store_true",
                        help="with --scale/--sweep: scale the commits, branches and tags only, "
                        "over the objects, documents and tip tree of --tree-scale")
    parser.add_argument("--tree-scale", type=scale_value, metavar="F",
                        help="with --history-only: the scale of the fixed tree (default 1)")
    parser.add_argument("--offload-only", action="store_true",
                        help="with --scale/--sweep: time offload alone (no git lfs migrate "
                        "export, rclone + filter-repo or s3transfer anchors)")
    parser.add_argument("--server", choices=SERVERS,
                        help="S3 server (default: moto, seaweedfs for --scale/--sweep)")
    parser.add_argument("--timeout", type=float, default=STEP_TIMEOUT,
                        help="seconds allowed per step (default %(default)s)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    args = parser.parse_args(argv)
    if (args.history_only or args.offload_only) and not (args.scale or args.sweep):
        parser.error("--history-only and --offload-only go with --scale or --sweep")
    if args.tree_scale and not args.history_only:
        parser.error("--tree-scale goes with --history-only")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_tools()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    if args.scale or args.sweep:
        return _production(args)
    if args.quick:
        spec = SynthSpec(40, 120, 16 * 1024, 8, args.seed)
    else:
        spec = SynthSpec(args.commits, args.objects, args.object_size, args.documents, args.seed)
    with tempfile.TemporaryDirectory(prefix="offload-bench-", dir=args.work) as tmp:
        work = Path(tmp)
        with s3_server(args.server or "moto", work) as server:
            one = one_round(spec, "1x", work, server)
            two = one_round(spec.doubled(), "2x", work, server)
        ok = report(one, two)
    print("all targets met" if ok else "some targets missed")
    return 0


def production_specs(args: argparse.Namespace) -> list[LargeSpec]:
    """The production shape at each chosen scale, or only its history over a fixed tree."""
    chosen = args.sweep or [args.scale]
    if args.history_only:
        return [LargeSpec.history_at(scale, args.tree_scale or 1.0, args.seed)
                for scale in chosen]
    return [LargeSpec.at(scale, args.seed) for scale in chosen]


def _production(args: argparse.Namespace) -> int:
    from bench.migrate_large import large_round, report_round, report_sweep

    with tempfile.TemporaryDirectory(prefix="offload-bench-", dir=args.work) as tmp:
        try:
            rounds = [large_round(spec, args.server or "seaweedfs", Path(tmp), args.timeout,
                                  anchors=not args.offload_only)
                      for spec in production_specs(args)]
        except RuntimeError as failed:  # a step failed or took longer than --timeout
            print(f"benchmark stopped: {failed}", file=sys.stderr)
            return 1
    outcome = report_sweep(rounds) if args.sweep else report_round(rounds[0])
    print(outcome.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
