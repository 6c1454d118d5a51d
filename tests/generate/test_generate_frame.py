"""generate frame through the CLI: approved turnarounds as references, versions per shot."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

from PIL import Image

from testing.cli import CliResult, run_offload
from testing.fake_gemini import FakeGemini
from testing.repos import GitRepo
from tests.generate.helpers import finish, generate, manifest_lines, start, turnaround
from tests.generate.test_generate_references import pixels_of, solid

SHOT = "storyboards/scene3/shot2"


def lock(repo: GitRepo) -> dict[str, dict[str, object]]:
    return {r["path"]: r for r in map(json.loads, manifest_lines(repo))}


def turnarounds(repo: GitRepo, character: str, count: int) -> None:
    for seed in range(count):
        result = turnaround(repo, "--character", character, "--prompt", "design",
                            "--seed", str(seed))
        assert result.rc == 0, result.output


def approve(repo: GitRepo, path: str) -> None:
    result = run_offload("approve", path, cwd=repo.path)
    assert result.rc == 0, result.output


def frame(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> CliResult:
    return generate(repo, "frame", "--scene", "3", "--shot", "2", "--prompt", "mira meets ken",
                    *args, env=env)


def test_two_characters_use_their_approved_versions(repo: GitRepo, tmp_path: Path) -> None:
    turnarounds(repo, "mira", 2)
    turnarounds(repo, "ken", 2)
    approve(repo, "characters/mira/turnaround/v1.png")
    approve(repo, "characters/ken/turnaround/v2.png")
    sketch = tmp_path / "sketch.png"
    sketch.write_bytes(solid((255, 0, 0)))
    result = generate(repo, "frame", "--scene", "3", "--shot", "2", "--prompt", "they meet",
                      "--character", "mira", "--character", "ken", "--reference", str(sketch),
                      "--size", "640x360", "--json")
    assert result.rc == 0, result.output
    assert "warning" not in result.stderr
    record = result.json()
    assert record["path"] == f"{SHOT}/v1.png" and record["warnings"] == []
    entries = lock(repo)
    mira, ken = (entries[f"characters/{c}/turnaround/v{n}.png"] for c, n in (("mira", 1),
                                                                            ("ken", 2)))
    meta = record["meta"]
    assert meta["characters"] == ["mira", "ken"] and meta["size"] == "640x360"
    assert meta["scene"] == "3" and meta["shot"] == "2" and meta["mode"] == "image-to-image"
    assert meta["references"] == [
        {"character": "mira", "path": mira["path"], "url": mira["url"],
         "sha256": mira["sha256"], "version": 1},
        {"character": "ken", "path": ken["path"], "url": ken["url"],
         "sha256": ken["sha256"], "version": 2},
        {"path": str(sketch.resolve()),
         "sha256": hashlib.sha256(sketch.read_bytes()).hexdigest()},
    ]
    assert entries[f"{SHOT}/v1.png"]["meta"] == meta
    image = Image.open(record["url"].removeprefix("file://")).convert("RGB")
    assert image.size == (640, 360)
    assert pixels_of(image, (255, 0, 0)).getbbox() is not None  # the sketch went in


def test_no_approved_version_warns_and_uses_the_latest(repo: GitRepo) -> None:
    turnarounds(repo, "mira", 2)
    result = frame(repo, "--character", "mira", "--json")
    assert result.rc == 0, result.output
    latest = "characters/mira/turnaround/v2.png"
    assert f"warning: no approved turnaround of mira: using the latest, {latest}" in \
        result.stderr
    [used] = result.json()["meta"]["references"]
    assert used["path"] == latest and used["version"] == 2
    assert result.json()["warnings"] == [result.stderr.strip().removeprefix("warning: ")]


def test_a_character_without_turnaround_exits_3_and_records_nothing(repo: GitRepo) -> None:
    result = frame(repo, "--character", "nobody")
    assert result.rc == 3, result.output
    assert "nobody has no turnaround in offload.lock" in result.stderr
    assert "offload generate turnaround --character nobody" in result.stderr
    assert manifest_lines(repo) == []
    assert "Traceback" not in result.output
    again = frame(repo, "--json")
    assert again.rc == 0 and again.json()["path"] == f"{SHOT}/v1.png"


def test_bad_size_and_shot_are_usage_errors(repo: GitRepo) -> None:
    for args in (("--size", "wide"), ("--size", "10x10")):
        result = frame(repo, *args)
        assert result.rc == 2 and "--size" in result.stderr, result.output
    result = generate(repo, "frame", "--scene", "../x", "--shot", "1", "--prompt", "p")
    assert result.rc == 2 and "--scene '../x' is not allowed" in result.stderr
    assert manifest_lines(repo) == []


def test_two_parallel_frames_of_one_shot_get_v1_and_v2(repo: GitRepo, tmp_path: Path) -> None:
    turnarounds(repo, "mira", 1)
    other = repo.worktree(tmp_path / "wt-a", "a")
    args = ("frame", "--scene", "3", "--shot", "2", "--prompt", "mira waits",
            "--character", "mira")
    records = finish([start(repo.path, *args, "--seed", "1"),
                      start(repo.path, *args, "--seed", "2"),
                      start(other.path, "frame", "--scene", "3", "--shot", "3", "--prompt",
                            "elsewhere")])
    assert sorted(str(r["path"]) for r in records[:2]) == [f"{SHOT}/v1.png", f"{SHOT}/v2.png"]
    assert records[2]["path"] == "storyboards/scene3/shot3/v1.png"
    assert sorted(p for p in lock(repo) if p.startswith(SHOT)) == [f"{SHOT}/v1.png",
                                                                  f"{SHOT}/v2.png"]


def test_gemini_receives_every_reference_image(repo: GitRepo, fake_gemini: FakeGemini) -> None:
    turnarounds(repo, "mira", 1)
    turnarounds(repo, "ken", 1)
    env = {"OFFLOAD_GEMINI_BASE_URL": fake_gemini.base_url, "GEMINI_API_KEY": "AIza-test"}
    result = frame(repo, "--character", "mira", "--character", "ken", "--provider", "gemini",
                   "--json", env=env)
    assert result.rc == 0, result.output
    [request] = fake_gemini.requests()
    parts = request["body"]["contents"][0]["parts"]
    sent = [base64.urlsafe_b64decode(p["inlineData"]["data"]) for p in parts
            if "inlineData" in p]
    entries = lock(repo)
    assert [hashlib.sha256(data).hexdigest() for data in sent] == [
        entries[f"characters/{c}/turnaround/v1.png"]["sha256"] for c in ("mira", "ken")]
    instruction = parts[-1]["text"]
    assert "image 1 is mira, image 2 is ken" in instruction and "mira meets ken" in instruction
    assert result.json()["meta"]["provider"] == "gemini"


HASHING_SCRIPT = """
import hashlib, json, shutil, sys
args = sys.argv[1:]
out, log, refs = args[args.index("--out") + 1], args[-1], args[:args.index("--out")]
shutil.copy(refs[0], out)
open(log, "w").write(json.dumps([hashlib.sha256(open(r, "rb").read()).hexdigest()
                                 for r in refs]))
"""


def test_command_gets_one_argument_per_reference(repo: GitRepo, tmp_path: Path) -> None:
    turnarounds(repo, "mira", 1)
    script, log, sketch = tmp_path / "gen.py", tmp_path / "hashes.json", tmp_path / "s.png"
    script.write_text(HASHING_SCRIPT)
    sketch.write_bytes(solid((9, 9, 9)))
    result = frame(repo, "--character", "mira", "--reference", str(sketch), "--provider",
                   "command", "--command",
                   f"{sys.executable} {script} {{references}} --out {{output}} {log}", "--json")
    assert result.rc == 0, result.output
    recorded = [r["sha256"] for r in result.json()["meta"]["references"]]
    assert json.loads(log.read_text()) == recorded
    assert len(recorded) == 2 and recorded[1] == hashlib.sha256(sketch.read_bytes()).hexdigest()
