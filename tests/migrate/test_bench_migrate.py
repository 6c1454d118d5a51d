"""The production-shape benchmark's report: targets judged ok / MISSED, timeouts as misses."""

from __future__ import annotations

import re

import pytest

from bench._common import Measured
from bench.migrate_large import LargeRound, per_doubling, report_round, report_sweep
from bench.migrate_steps import OffloadSteps


def step(seconds: float, rss_mb: int, timed_out: bool = False) -> Measured:
    return Measured(seconds, rss_mb * 10**6, 0, "", "", timed_out)


def a_round(scale: float, plan: float, run: float, verify: Measured, rss_mb: int = 100
            ) -> LargeRound:
    offload = OffloadSteps(step(plan, rss_mb), step(run, rss_mb), verify)
    return LargeRound(scale, "shape", 10**9, 1.0, offload, step(100.0, 50), step(60.0, 80),
                      step(40.0, 30), step(35.0, 60))


def target_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "(target <=" in line]


def test_one_scale_judges_each_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_round(a_round(1.0, 20.0, 70.0, step(30.0, 120)))
    out = capsys.readouterr().out
    assert re.search(r"offload migrate verify +30\.00 +120 MB", out)
    assert "(plan + run) / git lfs migrate export:  0.90" in out
    assert "run / s3transfer upload alone:          2.00" in out  # shown, not a target
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
    assert any(line.startswith("x0.25 -> x0.5: plan + run time per doubling 2.00x")
               and line.endswith(" ok") for line in lines)
    assert any(line.startswith("x0.5 -> x1: plan + run time per doubling 2.19x")
               and line.endswith("MISSED") for line in lines)
    assert any(line.startswith("x0.5 -> x1: run peak RSS per doubling 1.67x")
               and line.endswith("MISSED") for line in lines)
    assert per_doubling(10.0, 40.0, 4.0) == pytest.approx(2.0)
