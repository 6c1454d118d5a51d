"""generate model3d: the approved turnaround goes to the user's command, the .glb to the store."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from testing.cli import CliResult
from testing.repos import GitRepo
from tests.generate.helpers import generate, manifest_lines
from tests.generate.test_generate_frame import approve, lock, turnarounds

SCRIPT = """
import hashlib, sys
image, output, mode = sys.argv[1:4]
data = open(image, "rb").read()
assert data.startswith(b"\\x89PNG"), "not the turnaround"
if mode == "fail":
    sys.stderr.write("the 3D service said no")
    sys.exit(7)
open(output, "wb").write((b"glTF" if mode == "ok" else b"OBJ ") +
                         hashlib.sha256(data).hexdigest().encode())
"""


def model3d(repo: GitRepo, script: Path, mode: str, *args: str) -> CliResult:
    command = f"{sys.executable} {script} {{turnaround}} {{output}} {mode}"
    return generate(repo, "model3d", "--character", "mira", "--command", command, "--json",
                    *args)


def write_script(tmp_path: Path) -> Path:
    script = tmp_path / "to3d.py"
    script.write_text(SCRIPT)
    return script


def test_model_from_the_approved_turnaround(repo: GitRepo, tmp_path: Path) -> None:
    script = write_script(tmp_path)
    turnarounds(repo, "mira", 2)
    approve(repo, "characters/mira/turnaround/v1.png")
    result = model3d(repo, script, "ok")
    assert result.rc == 0, result.output
    assert "warning" not in result.stderr
    record = result.json()
    source = lock(repo)["characters/mira/turnaround/v1.png"]
    assert record["path"] == "characters/mira/model/v1.glb"
    meta = record["meta"]
    assert meta["turnaround_version"] == 1 and meta["turnaround_sha256"] == source["sha256"]
    assert meta["turnaround_approved"] is True and meta["mode"] == "image-to-3d"
    assert meta["references"][0]["path"] == source["path"]
    stored = Path(record["url"].removeprefix("file://")).read_bytes()
    assert stored.startswith(b"glTF") and record["sha256"] == hashlib.sha256(stored).hexdigest()
    assert stored[4:].decode() == source["sha256"]  # the command really got that turnaround
    again = model3d(repo, script, "ok")
    assert again.rc == 0 and again.json()["path"] == "characters/mira/model/v2.glb"


def test_a_failing_command_records_nothing(repo: GitRepo, tmp_path: Path) -> None:
    script = write_script(tmp_path)
    turnarounds(repo, "mira", 1)
    before = manifest_lines(repo)
    failed = model3d(repo, script, "fail")
    assert failed.rc == 2 and "exited with status 7: the 3D service said no" in failed.stderr
    assert "warning: no approved turnaround of mira" in failed.stderr
    not_glb = model3d(repo, script, "obj")
    assert not_glb.rc == 2 and "not a binary glTF" in not_glb.stderr, not_glb.output
    assert manifest_lines(repo) == before
    assert "Traceback" not in failed.output + not_glb.output
    ok = model3d(repo, script, "ok")  # the failed runs gave their claims back
    assert ok.rc == 0 and ok.json()["path"] == "characters/mira/model/v1.glb"
    assert ok.json()["meta"]["turnaround_approved"] is False


def test_without_turnaround_or_command(repo: GitRepo, tmp_path: Path) -> None:
    script = write_script(tmp_path)
    result = model3d(repo, script, "ok")
    assert result.rc == 3 and "mira has no turnaround" in result.stderr
    missing = generate(repo, "model3d", "--character", "mira")
    assert missing.rc == 2 and "--command" in missing.stderr
