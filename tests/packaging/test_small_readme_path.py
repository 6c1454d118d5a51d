"""The README's set-up section says how to put `offload` on PATH, and that way works."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import offload
from testing.cli import SRC

CHECKOUT = SRC.parent


def setup_section() -> str:
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]


def test_setup_names_both_ways_onto_path() -> None:
    section = setup_section()
    assert "command not found" in section
    assert re.search(r"^\. \.venv/bin/activate\b", section, re.M)
    assert re.search(r"^pipx install \.\s", section, re.M) and "uv tool install ." in section


def test_activating_the_venv_puts_offload_on_path(tmp_path: Path) -> None:
    if not (CHECKOUT / ".venv/bin/activate").is_file():
        pytest.skip("no .venv in this checkout (make deps creates it)")
    [line] = [ln for ln in setup_section().splitlines() if ln.startswith(". .venv/bin/activate")]
    activate = line.split("#", 1)[0].strip()
    bare = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    bare["PATH"] = "/usr/bin:/bin"
    after = subprocess.run(["sh", "-c", f"{activate} && offload --version"], cwd=CHECKOUT,
                           env=bare, capture_output=True, text=True, check=False, timeout=60)
    assert after.returncode == 0, after.stderr
    assert offload.__version__ in after.stdout
