"""The hook path stays light: no boto3, click or yaml; and the fast config reader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from offload.guard.fastconfig import Unsupported, parse_artifacts
from offload.guard.rules import glob_match
from testing.cli import cli_env
from testing.repos import GitRepo
from tests.guard.helpers import CONFIG, PNG, configured

PROBE = """
import sys
from offload.guard.hook import main
code = main(["pre-commit"])
heavy = sorted(m for m in ("boto3", "botocore", "click", "yaml", "re", "subprocess", "typing")
               if m in sys.modules)
print(code, ",".join(heavy))
"""


def test_hook_imports_no_heavy_modules(tmp_path: Path) -> None:
    repo = configured(GitRepo(tmp_path / "repo"), CONFIG + "store: rclone:r2:bucket/x\n")
    repo.write("a.png", PNG)
    repo.add("a.png")
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=repo.path, env=cli_env(),
                          capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines()[-1] == "1 "


def test_fast_reader_matches_the_spec_example() -> None:
    text = """
store: rclone:r2:film-assets/prod   # where objects go
public_url: https://pub-0123.r2.dev/prod
key_template: "{dir}/{stem}.{sha256:12}{ext}"
artifacts:                 # what counts
  include: ["*.png", "*.jpg"]
  max_bytes: 1048576       # larger is an artifact too
  allow:
    - docs/*.png
    - 'logo.png'
watch:
  paths: ["outputs/"]
"""
    rules = parse_artifacts(text)
    assert (rules.include, rules.max_bytes, rules.allow) == (
        ("*.png", "*.jpg"), 1048576, ("docs/*.png", "logo.png"))


@pytest.mark.parametrize("text", ["artifacts: {include: []}\n", "artifacts:\n  max_bytes: &a 3\n",
                                  "s3:\n  endpoint_url: {x: 1}\n", "store: [oops\n"])
def test_fast_reader_hands_over_what_it_does_not_know(text: str) -> None:
    with pytest.raises(Unsupported):
        parse_artifacts(text)


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.png", "a/b/c.png", True), ("*.png", "a.png.txt", False), ("docs/*.png", "docs/x.png", True),
    ("docs/", "docs/deep/x.png", True), ("shot_??.png", "x/shot_01.png", True),
    ("a*b*c", "aXbYc", True), ("a*b*c", "ac", False),
])
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected
