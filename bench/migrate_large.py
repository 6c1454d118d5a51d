"""The migration benchmark on the production shape (``bench.migrate --scale`` / ``--sweep``).

One round per scale: the repository of ``bench.synthlarge`` is generated once, each tool gets a
fresh clone whose ``.git/lfs/objects`` is hard-linked from the remote (no copy of gigabytes),
and each round has its own S3 server (SeaweedFS on disk by default), dropped afterwards with
everything the round wrote. Timed: offload ``migrate plan`` / ``run`` / ``verify``, and as
anchors (unless ``--offload-only``) ``git lfs migrate export --everything``, ``rclone copy`` +
``git filter-repo`` and s3transfer alone. Targets (issue 12): (plan + run) <= 1.0x each anchor,
verify <= 0.5x run, peak RSS of every offload step <= 500 MB, and per doubling of the history
<= 2.1x time and <= 1.3x peak RSS. A ratio whose step did not run is reported as not computed.
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench._common import Measured
from bench.migrate_steps import (
    OffloadSteps,
    base_env,
    run_lfs_export,
    run_offload,
    run_rclone_filter,
    run_s3_floor,
    s3_server,
    verdict,
)
from bench.synthlarge import LargeSpec
from bench.synthrepo import SynthRepo, fresh_clone, make_synthetic_repo
from testing.repos import git
from testing.servers import S3Server

TARGETS = {"vs_lfs": 1.0, "vs_rclone": 1.0, "verify_vs_run": 0.5, "rss": 500 * 10**6,
           "doubling_time": 2.1, "doubling_rss": 1.3}
SKIPPED = "not computed: --offload-only skipped the anchors"


@dataclass(frozen=True)
class Shape:
    """What a round's repository holds, counted in it."""

    commits: int
    refs: int
    objects: int
    tree: int  # paths in main's tip tree
    lfs_bytes: int


@dataclass(frozen=True)
class Anchors:
    """The tools offload is measured against, on the same repository and server."""

    export: Measured  # git lfs migrate export --everything
    copy: Measured  # rclone copy
    strip: Measured  # git filter-repo path strip
    floor: Measured  # the same objects sent by s3transfer alone

    @property
    def pair(self) -> float:
        return self.copy.seconds + self.strip.seconds


@dataclass(frozen=True)
class LargeRound:
    spec: LargeSpec
    shape: Shape
    summary: str
    generated: float  # seconds
    offload: OffloadSteps
    anchors: Anchors | None  # None: --offload-only

    @property
    def verify(self) -> Measured:
        assert self.offload.verify is not None
        return self.offload.verify

    @property
    def label(self) -> str:
        tree = f" over the tree of x{self.spec.tree_scale:g}" if self.spec.fixed_tree else ""
        return f"x{self.spec.scale:g}{tree}"


@dataclass(frozen=True)
class Check:
    text: str
    value: float | None  # None: not computed (the text says why)
    target: float
    shown: str

    def line(self) -> str:
        if self.value is None:
            return self.text
        return f"{self.text:<58} (target <= {self.shown}) {verdict(self.value, self.target)}"


@dataclass(frozen=True)
class Outcome:
    missed: int = 0
    not_computed: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.missed + other.missed, self.not_computed + other.not_computed)

    def __bool__(self) -> bool:
        return not self.missed

    def summary(self) -> str:
        met = f"{self.missed} targets missed" if self.missed else "all targets met"
        if not self.not_computed:
            return met
        return (f"{met if self.missed else 'all computed targets met'}; "
                f"{self.not_computed} not computed")


def count_shape(remote: Path, lfs_bytes: int) -> Shape:
    objects = sum(1 for p in (remote / "lfs" / "objects").rglob("*") if p.is_file())
    return Shape(int(git("rev-list", "--all", "--count", cwd=remote)),
                 len(git("for-each-ref", "--format=%(refname)", cwd=remote).splitlines()),
                 objects, len(git("ls-tree", "-r", "--name-only", "main", cwd=remote).splitlines()),
                 lfs_bytes)


def large_round(spec: LargeSpec, server_kind: str, work: Path, timeout: float,
                anchors: bool = True) -> LargeRound:
    root = work / f"x{spec.scale:g}"
    root.mkdir()
    label = f"[x{spec.scale:g}]"
    print(f"{label} generating the production shape"
          + (f" (history only, tree of x{spec.tree_scale:g})" if spec.fixed_tree else ""),
          flush=True)
    start = time.perf_counter()
    repo = make_synthetic_repo(root / "remote.git", spec)
    generated = time.perf_counter() - start
    shape = count_shape(repo.remote, repo.lfs_bytes)
    print(f"{label}   {repo.summary}; {shape.tree} paths at main's tip; generated in "
          f"{generated:.1f}s", flush=True)
    measured = None
    try:
        with s3_server(server_kind, root) as server:
            env = base_env(server, root)
            print(f"{label} offload migrate plan + run + verify", flush=True)
            clone = fresh_clone(repo, root / "offload")
            steps = run_offload(clone, server, "offload", env, timeout, verify=True)
            shutil.rmtree(clone)
            assert steps.verify is not None
            print(f"{label}   plan {steps.plan.seconds:.1f}s, run {steps.run.seconds:.1f}s, "
                  f"verify {shown(steps.verify, 1)}s", flush=True)
            if anchors:
                measured = _anchors(repo, root, server, env, timeout, label)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return LargeRound(spec, shape, repo.summary, generated, steps, measured)


def _anchors(repo: SynthRepo, root: Path, server: S3Server, env: dict[str, str],
             timeout: float, label: str) -> Anchors:
    print(f"{label} git lfs migrate export --everything", flush=True)
    clone = fresh_clone(repo, root / "lfs-export")
    export = run_lfs_export(clone, env, timeout)
    shutil.rmtree(clone)
    print(f"{label}   {export.seconds:.1f}s", flush=True)
    print(f"{label} rclone copy + git filter-repo", flush=True)
    clone = fresh_clone(repo, root / "rclone")
    copy, strip = run_rclone_filter(clone, server, "rclone", env, timeout)
    print(f"{label}   {copy.seconds:.1f}s + {strip.seconds:.1f}s", flush=True)
    print(f"{label} s3transfer upload of the same objects (no rewrite)", flush=True)
    floor = run_s3_floor(clone, server, "floor", env, timeout)
    print(f"{label}   {floor.seconds:.1f}s", flush=True)
    return Anchors(export, copy, strip, floor)


def mb(n: int) -> str:
    return f"{n / 10**6:.0f} MB"


def shown(m: Measured, digits: int = 2) -> str:
    """Seconds, or a lower bound for a step killed at the timeout."""
    return f"{'>' if m.timed_out else ''}{m.seconds:.{digits}f}"


def seconds(m: Measured) -> float:
    """For targets: a step that timed out misses every one."""
    return math.inf if m.timed_out else m.seconds


def report_round(r: LargeRound) -> Outcome:
    """The side-by-side table of one round and its targets."""
    print(f"\nproduction shape {r.label}: {r.summary}")
    print(f"{r.shape.tree} paths at main's tip; generated in {r.generated:.1f}s\n")
    rows = [("offload migrate plan", r.offload.plan), ("offload migrate run", r.offload.run),
            ("offload migrate verify", r.verify)]
    if r.anchors:
        a = r.anchors
        rows += [("git lfs migrate export --everything", a.export), ("rclone copy", a.copy),
                 ("git filter-repo (path strip)", a.strip),
                 ("s3transfer upload alone (no rewrite)", a.floor)]
    # CPU seconds of the step's own processes, of the S3 server meanwhile, and both per second
    # of wall time: near the machine's core count, the step was bound by CPU, not by waiting
    print(f"{'step':<38}{'wall (s)':>10}{'peak RSS':>12}{'CPU s':>8}{'server CPU s':>14}"
          f"{'cores busy':>12}")
    for title, m in rows:
        print(f"{title:<38}{shown(m):>10}{mb(m.peak_rss):>12}{m.cpu:>8.1f}"
              + (f"{m.beside_cpu:>14.1f}{(m.cpu + m.beside_cpu) / m.seconds:>12.2f}"
                 if m.beside_cpu is not None else f"{'-':>14}{m.cpu / m.seconds:>12.2f}"))
    print(f"{'offload plan + run':<38}{r.offload.seconds:>10.2f}")
    print(f"(this machine has {os.cpu_count()} cores; the S3 server shares them)")
    run = r.offload.run.seconds
    if r.anchors:
        a = r.anchors
        print(f"{'rclone copy + git filter-repo':<38}{a.pair:>10.2f}")
        # not targets: where the run stands against the Python S3 stack's own floor, and what
        # plan + run would be if the run cost nothing beyond s3transfer's upload
        print(f"{'run / s3transfer upload alone:':<52}{run / a.floor.seconds:.2f}")
        print(f"{'s3transfer upload alone / rclone copy:':<52}"
              f"{a.floor.seconds / a.copy.seconds:.2f}")
        print(f"{'(plan + s3transfer alone) / (rclone + filter-repo):':<52}"
              f"{(r.offload.plan.seconds + a.floor.seconds) / a.pair:.2f}")
    else:
        print("anchors not run (--offload-only): git lfs migrate export, rclone copy + "
              "git filter-repo, s3transfer")
    print()
    ratios = [("(plan + run) / git lfs migrate export",
               r.offload.seconds / r.anchors.export.seconds if r.anchors else None,
               TARGETS["vs_lfs"], "1.0"),
              ("(plan + run) / (rclone + filter-repo)",
               r.offload.seconds / r.anchors.pair if r.anchors else None,
               TARGETS["vs_rclone"], "1.0"),
              ("verify / run", seconds(r.verify) / run, TARGETS["verify_vs_run"], "0.5")]
    checks = [Check(f"{name + ':':<40}{value:.2f}" if value is not None
                    else f"{name + ':':<40}{SKIPPED}", value, target, shown)
              for name, value, target, shown in ratios]
    for name, m in (("plan", r.offload.plan), ("run", r.offload.run), ("verify", r.verify)):
        bound = " (timed out)" if m.timed_out else ""
        checks.append(Check(f"{'peak RSS of offload migrate ' + name + ':':<40}"
                            f"{mb(m.peak_rss)}{bound}", m.peak_rss, TARGETS["rss"], "500 MB"))
    return _print_checks(checks)


def _print_checks(checks: list[Check]) -> Outcome:
    for check in checks:
        print(check.line())
    return Outcome(sum(1 for c in checks if c.value is not None and c.value > c.target),
                   sum(1 for c in checks if c.value is None))


def per_doubling(small: float, large: float, ratio: float) -> float:
    """Growth of ``small`` -> ``large`` over a size ratio, as the factor per doubling."""
    return float((large / small) ** (1 / math.log2(ratio)))


def report_sweep(rounds: list[LargeRound]) -> Outcome:
    """Each round's targets, then how time and peak RSS grow per doubling of the commits."""
    outcome = Outcome()
    for r in rounds:
        outcome += report_round(r)
    fixed = rounds[0].spec
    print("\nhistory sweep: commits, branches and tags scale over the same objects and "
          f"documents (tree of x{fixed.tree_scale:g})" if fixed.fixed_tree
          else "\nsweep: the whole production shape scales")
    print(f"{'scale':>6}{'commits':>8}{'refs':>6}{'objects':>8}{'tree':>7}{'GiB':>6}"
          f"{'plan s':>8}{'MB':>6}{'run s':>8}{'MB':>6}{'verify s':>9}{'MB':>6}"
          f"{'lfs-exp s':>10}{'rcl+f-r s':>10}")
    for r in rounds:
        s, o = r.shape, r.offload
        anchors = (f"{r.anchors.export.seconds:>10.1f}{r.anchors.pair:>10.1f}" if r.anchors
                   else f"{'-':>10}{'-':>10}")
        print(f"{r.spec.scale:>6g}{s.commits:>8}{s.refs:>6}{s.objects:>8}{s.tree:>7}"
              f"{s.lfs_bytes / 2**30:>6.2f}"
              + "".join(f"{shown(m, 1):>{w}}{m.peak_rss / 10**6:>6.0f}"
                        for m, w in ((o.plan, 8), (o.run, 8), (r.verify, 9)))
              + anchors)
    print()
    checks = [c for a, b in itertools.pairwise(rounds) for c in _doubling_checks(a, b)]
    return _print_checks(checks) + outcome


def _doubling_checks(a: LargeRound, b: LargeRound) -> list[Check]:
    ratio = b.shape.commits / a.shape.commits
    step = (f"x{a.spec.scale:g} -> x{b.spec.scale:g} "
            f"({a.shape.commits} -> {b.shape.commits} commits)")
    figures = [("plan + run time", a.offload.seconds, b.offload.seconds, False, "doubling_time"),
               ("verify time", a.verify.seconds, b.verify.seconds,
                a.verify.timed_out or b.verify.timed_out, "doubling_time")]
    figures += [(f"{name} peak RSS", m.peak_rss, n.peak_rss, m.timed_out or n.timed_out,
                 "doubling_rss")
                for name, m, n in (("plan", a.offload.plan, b.offload.plan),
                                   ("run", a.offload.run, b.offload.run),
                                   ("verify", a.verify, b.verify))]
    checks = []
    for name, one, two, timed_out, key in figures:
        text, target = f"{step}: {name} per doubling", TARGETS[key]
        why = "the commits did not grow" if ratio <= 1 else "a step timed out" if timed_out else ""
        if why:
            checks.append(Check(f"{text} not computed: {why}", None, target, ""))
            continue
        growth = per_doubling(one, two, ratio)
        checks.append(Check(f"{text} {growth:.2f}x", growth, target, f"{target:g}x"))
    return checks
