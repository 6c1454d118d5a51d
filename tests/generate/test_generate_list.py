"""generate list covers a scene's frames (with the character versions used) and 3D models."""

from __future__ import annotations

import sys
from pathlib import Path

from testing.repos import GitRepo
from tests.generate.helpers import generate
from tests.generate.test_generate_frame import approve, turnarounds
from tests.generate.test_generate_model3d import write_script
from tests.generate.test_generate_references import solid


def frame(repo: GitRepo, scene: str, shot: str, *args: str) -> str:
    result = generate(repo, "frame", "--scene", scene, "--shot", shot, "--prompt", "p", *args)
    assert result.rc == 0, result.output
    return result.stdout.strip()


def test_list_frames_by_scene_and_models_by_character(repo: GitRepo, tmp_path: Path) -> None:
    turnarounds(repo, "mira", 2)
    approve(repo, "characters/mira/turnaround/v1.png")
    sketch = tmp_path / "sketch.png"
    sketch.write_bytes(solid((1, 2, 3)))
    first = frame(repo, "3", "1", "--character", "mira", "--reference", str(sketch))
    middle = frame(repo, "3", "2")
    last = frame(repo, "3", "2")
    frame(repo, "30", "1")
    script = write_script(tmp_path)
    model = generate(repo, "model3d", "--character", "mira", "--command",
                     f"{sys.executable} {script} {{turnaround}} {{output}} ok")
    assert model.rc == 0, model.output

    listing = generate(repo, "list", "--scene", "3")
    assert listing.rc == 0, listing.output
    assert listing.stdout.splitlines() == [
        f"scene3/shot1 v1  [mira v1, sketch.png]\t{first}",
        f"scene3/shot2 v1\t{middle}",
        f"scene3/shot2 v2\t{last}",
    ]
    one_shot = generate(repo, "list", "--scene", "3", "--shot", "2", "--json").json()["items"]
    assert [(r["kind"], r["version"]) for r in one_shot] == [("frame", 1), ("frame", 2)]
    mira = generate(repo, "list", "--character", "mira").stdout.splitlines()
    assert [line.split("\t")[0] for line in mira] == ["v1", "v2", "model v1  [mira v1]"]
    assert mira[2].endswith(model.stdout.strip())
    assert generate(repo, "list").rc == 2
