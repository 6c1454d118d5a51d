"""Colour and progress on a terminal only; NO_COLOR means no colour or style sequence (a
progress bar still moves the cursor)."""

from __future__ import annotations

import os
import re

from testing.cli import run_offload
from testing.repos import GitRepo
from testing.terminal import run_offload_in_terminal

ESC = "\x1b["
RED = "\x1b[31m"
STYLE = re.compile(r"\x1b\[[0-9;]*m")


def test_an_error_is_red_on_a_terminal(repo: GitRepo) -> None:
    rc, output = run_offload_in_terminal("put", "missing.png", cwd=repo.path,
                                         env={"NO_COLOR": ""})  # empty: not set
    assert rc == 2, output
    assert RED in output and "error:" in output and "next:" in output


def test_no_color_leaves_no_escape_sequence_in_an_error(repo: GitRepo) -> None:
    rc, output = run_offload_in_terminal("put", "missing.png", cwd=repo.path,
                                         env={"NO_COLOR": "1"})
    assert rc == 2 and "error: missing.png does not exist" in output, output
    assert ESC not in output


def test_a_piped_error_is_plain(repo: GitRepo) -> None:
    result = run_offload("put", "missing.png", cwd=repo.path)
    assert result.rc == 2 and result.stderr.startswith("error: missing.png does not exist")
    assert ESC not in result.output


def test_no_color_plan_table_has_no_italics(repo: GitRepo) -> None:
    styled_rc, styled = run_offload_in_terminal("migrate", "plan", "-o", "plan-a.yaml",
                                                cwd=repo.path)
    assert styled_rc == 0 and "migration plan" in styled, styled
    assert "\x1b[3m" in styled  # without NO_COLOR the title is italic: the check below bites
    rc, output = run_offload_in_terminal("migrate", "plan", "-o", "plan-b.yaml", cwd=repo.path,
                                         env={"NO_COLOR": "yes"})
    assert rc == 0 and "migration plan" in output, output
    assert STYLE.search(output) is None  # the history walk's progress bar may move the cursor


def test_the_progress_bar_counts_files(repo: GitRepo) -> None:
    for i in range(3):
        repo.write(f"frames/f{i}.png", os.urandom(200_000 + i))
    rc, output = run_offload_in_terminal("put", "frames", cwd=repo.path)
    assert rc == 0, output
    assert "0/3 files" in output  # drawn when the bar starts, before any file is done
    assert "put: 3 uploaded" in output
    (repo.path / "frames" / "f1.png").unlink()
    rc, output = run_offload_in_terminal("pull", cwd=repo.path)
    assert rc == 0 and "0/1 files" in output and "pull: 1 fetched" in output, output
