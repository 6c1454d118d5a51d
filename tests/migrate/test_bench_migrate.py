"""The production-shape benchmark's report: targets judged ok / MISSED, timeouts as misses."""

from __future__ import annotations

import re

import pytest

from bench._common import Measured
from bench.migrate_large import (
    Anchors,
    LargeRound,
    Outcome,
    Shape,
    per_doubling,
    report_round,
    report_sweep,
)
from bench.migrate_steps import OffloadSteps
from bench.synthlarge import LargeSpec


def step(seconds: float, rss_mb: int, timed_out: bool = False) -> Measured:
    return Measured(seconds, rss_mb * 10**6, 0, "", "", timed_out)


def a_round(scale: float, plan: float, run: float, verify: Measured, rss_mb: int = 100,
            tree_scale: float | None = None, anchors: bool = True) -> LargeRound:
    spec = (LargeSpec.history_at(scale, tree_scale) if tree_scale is not None
            else LargeSpec.at(scale))
    shape = Shape(spec.commits, spec.branches, spec.objects, spec.objects, 10**9)
    offload = OffloadSteps(step(plan, rss_mb), step(run, rss_mb), verify)
    measured = Anchors(step(100.0, 50), step(60.0, 80), step(40.0, 30), step(35.0, 60))
    return LargeRound(spec, shape, "shape", 1.0, offload, measured if anchors else None)


def target_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "(target <=" in line]


def test_one_scale_judges_each_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_round(a_round(1.0, 20.0, 70.0, step(30.0, 120)))
    out = capsys.readouterr().out
    assert re.search(r"offload migrate verify +30\.00 +120 MB", out)
    assert "(plan + run) / git lfs migrate export:  0.90" in out
    # shown, not targets
    assert re.search(r"run / s3transfer upload alone: +2\.00", out)
    assert re.search(r"\(plan \+ s3transfer alone\) / \(rclone \+ filter-repo\): +0\.55", out)
    assert re.search(r"s3transfer upload alone \(no rewrite\) +35\.00 +60 MB", out)
    assert len(target_lines(out)) == 6
    assert all(line.endswith(" ok") for line in target_lines(out))

    assert not report_round(a_round(1.0, 20.0, 70.0, step(36.0, 600)))
    missed = [line for line in target_lines(capsys.readouterr().out) if line.endswith("MISSED")]
    assert len(missed) == 2
    assert missed[0].startswith("verify / run:") and "0.51" in missed[0]
    assert missed[1].startswith("peak RSS of offload migrate verify:") and "600 MB" in missed[1]


def test_a_verify_that_timed_out_is_shown_as_a_bound_and_missed(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert not report_round(a_round(1.0, 20.0, 70.0, step(1800.0, 120, timed_out=True)))
    out = capsys.readouterr().out
    assert ">1800.00" in out
    assert any(line.startswith("verify / run") and line.endswith("MISSED")
               for line in out.splitlines())


def test_sweep_reports_growth_per_doubling(capsys: pytest.CaptureFixture[str]) -> None:
    rounds = [a_round(0.25, 10.0, 30.0, step(10.0, 100), 100),
              a_round(0.5, 20.0, 60.0, step(20.0, 120), 120),
              a_round(1.0, 45.0, 130.0, step(40.0, 200), 200)]
    assert not report_sweep(rounds)
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("x0.25 -> x0.5 (2500 -> 5000 commits): plan + run time per "
                               "doubling 2.00x") and line.endswith(" ok") for line in lines)
    assert any(line.startswith("x0.5 -> x1 (5000 -> 10000 commits): plan + run time per "
                               "doubling 2.19x") and line.endswith("MISSED") for line in lines)
    assert any(line.startswith("x0.5 -> x1 (5000 -> 10000 commits): run peak RSS per doubling "
                               "1.67x") and line.endswith("MISSED") for line in lines)
    assert per_doubling(10.0, 40.0, 4.0) == pytest.approx(2.0)


def test_history_sweep_over_a_fixed_tree_without_anchors(
        capsys: pytest.CaptureFixture[str]) -> None:
    rounds = [a_round(0.25, 10.0, 30.0, step(10.0, 100), 100, tree_scale=1.0, anchors=False),
              a_round(0.5, 20.0, 62.0, step(20.8, 125), 125, tree_scale=1.0, anchors=False),
              a_round(1.0, 40.0, 120.0, step(40.0, 130), 130, tree_scale=1.0, anchors=False)]
    outcome = report_sweep(rounds)
    out = capsys.readouterr().out
    assert "history sweep" in out and "tree of x1" in out
    table = [line.split() for line in out.splitlines()]
    # scale, commits, refs, objects, tree, GiB, then each step's seconds and peak RSS (MB)
    assert ["0.5", "5000", "150", "20000", "20000", "0.93", "20.0", "125", "62.0", "125",
            "20.8", "125", "-", "-"] in table
    growth = {line.split(": ", 1)[1].rsplit(" (target", 1)[0]: line.endswith(" ok")
              for line in target_lines(out) if " -> " in line}
    assert growth == {"plan + run time per doubling 2.05x": True,
                      "verify time per doubling 2.08x": True,
                      "plan peak RSS per doubling 1.25x": True,
                      "run peak RSS per doubling 1.25x": True,
                      "verify peak RSS per doubling 1.25x": True,
                      "plan + run time per doubling 1.95x": True,
                      "verify time per doubling 1.92x": True,
                      "plan peak RSS per doubling 1.04x": True,
                      "run peak RSS per doubling 1.04x": True,
                      "verify peak RSS per doubling 1.04x": True}
    not_computed = [line for line in out.splitlines() if "not computed" in line]
    assert len(not_computed) == 6  # two anchor ratios per round, none made up
    assert all("--offload-only" in line for line in not_computed)
    assert not any(line.startswith("(plan + run) /") and "target" in line
                   for line in out.splitlines())
    assert outcome == Outcome(missed=0, not_computed=6)
    assert outcome.summary() == "all computed targets met; 6 not computed"


def test_growth_is_not_computed_when_the_commits_did_not_grow(
        capsys: pytest.CaptureFixture[str]) -> None:
    rounds = [a_round(0.002, 1.0, 2.0, step(1.0, 100), tree_scale=0.01),
              a_round(0.003, 1.1, 2.1, step(1.0, 100), tree_scale=0.01)]  # both 40 commits
    outcome = report_sweep(rounds)
    lines = capsys.readouterr().out.splitlines()
    assert sum("per doubling not computed: the commits did not grow" in line
               for line in lines) == 5
    assert outcome == Outcome(missed=0, not_computed=5)
