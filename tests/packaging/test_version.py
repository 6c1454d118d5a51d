"""One version, taken from offload.__version__, everywhere offload reports it."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from offload import __version__
from testing.cli import run_offload
from testing.repos import GitRepo


def test_installed_metadata_takes_the_version_from_the_package() -> None:
    assert importlib.metadata.version("offload") == __version__


def test_cli_version_and_json_outputs_carry_it(repo: GitRepo, tmp_path: Path) -> None:
    shown = run_offload("--version", cwd=tmp_path)
    assert shown.rc == 0 and __version__ in shown.stdout
    init = run_offload("init", "--json", cwd=repo.path)
    assert init.rc == 0, init.stderr
    assert init.json()["version"] == __version__
    verify = run_offload("verify", "--json", cwd=repo.path)
    assert verify.json()["version"] == __version__
