"""Several reference images: what each provider receives, and how they are recorded."""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

from PIL import Image, ImageChops

from offload.generate.command import CommandProvider
from offload.generate.gemini import GeminiProvider
from offload.generate.placeholder import PlaceholderProvider
from offload.generate.provenance import BUDGET, object_metadata
from offload.generate.provider import ImageRequest, Reference
from testing.fake_gemini import FakeGemini
from testing.repos import GitRepo
from tests.generate.helpers import generate, turnaround

RED, GREEN = (255, 0, 0), (0, 200, 0)


def solid(rgb: tuple[int, int, int], size: tuple[int, int] = (90, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, format="PNG")
    return out.getvalue()


def pixels_of(image: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """A mask, white where ``image`` has exactly the colour ``rgb``."""
    difference = ImageChops.difference(image, Image.new("RGB", image.size, rgb)).convert("L")
    return difference.point(lambda v: 255 if v == 0 else 0)


def two_references() -> tuple[Reference, ...]:
    return (Reference(solid(RED), "image/png", "file:///refs/red.png", "mira v2"),
            Reference(solid(GREEN), "image/png", "https://x.test/green.png"))


def frame_request(references: tuple[Reference, ...] = ()) -> ImageRequest:
    return ImageRequest(instruction="draw scene 3", prompt="mira meets ken", character="mira,ken",
                        version=1, views=(), references=references, seed=0,
                        title="scene 3 shot 2", size=(800, 450))


def test_gemini_request_carries_every_reference(fake_gemini: FakeGemini) -> None:
    references = two_references()
    request = frame_request(references)
    png = GeminiProvider("AIza-test", fake_gemini.base_url).generate(request)
    assert Image.open(io.BytesIO(png)).format == "PNG"
    [sent] = fake_gemini.requests()
    parts = sent["body"]["contents"][0]["parts"]
    images = [p["inlineData"] for p in parts if "inlineData" in p]
    texts = [p["text"] for p in parts if "text" in p]
    assert [base64.urlsafe_b64decode(i["data"]) for i in images] == [r.data for r in references]
    assert texts == ["Reference image 1: mira v2", "Reference image 2: green.png",
                     "draw scene 3"]


SCRIPT = """
import json, shutil, sys
args = sys.argv[1:]
shutil.copy(args[args.index("--first") + 1], args[args.index("--out") + 1])
open(args[-1], "w").write(json.dumps(args))
"""


def test_command_expands_references_one_argument_each(tmp_path: Path) -> None:
    script, log = tmp_path / "gen.py", tmp_path / "argv.json"
    script.write_text(SCRIPT)
    template = (f"{sys.executable} {script} --first {{reference}} {{references}} "
                f"--image={{references}} --out {{output}} {log}")
    png = CommandProvider(template).generate(frame_request(two_references()))
    assert png == solid(RED)  # {reference} is the first reference's bytes
    args = json.loads(log.read_text())
    first, listed = args[1], args[2:4]
    assert listed[0] == first and listed[1] != first
    assert args[4:6] == [f"--image={path}" for path in listed]
    assert args[6] == "--out"


def test_command_drops_words_holding_references_when_there_is_none() -> None:
    provider = CommandProvider("gen {references} --image={references} --out {output}")
    values = {"prompt": "p", "reference": "", "output": "/o.png", "seed": "", "version": "1",
              "character": "", "size": "", "title": ""}
    assert provider.argv(values, []) == ["gen", "--out", "/o.png"]
    values["prompt"] = "{references}"
    assert CommandProvider("gen {prompt} {output}").argv(values, ["/r"]) == [
        "gen", "{references}", "/o.png"]


def test_placeholder_frame_shows_each_reference_labelled() -> None:
    frame = Image.open(io.BytesIO(PlaceholderProvider().generate(frame_request(
        two_references())))).convert("RGB")
    assert frame.size == (800, 450)
    for rgb in (RED, GREEN):
        box = pixels_of(frame, rgb).getbbox()
        assert box is not None, f"no thumbnail in {rgb}"
        left, top, right, bottom = box
        assert (right - left) * (bottom - top) >= 60 * 40  # the whole thumbnail, not a speck
        label = frame.crop((left, bottom + 2, right, bottom + 18)).convert("L")
        low, high = label.getextrema()
        assert high - low > 80, "no label under the thumbnail"
    bare = Image.open(io.BytesIO(PlaceholderProvider().generate(frame_request())))
    assert pixels_of(bare.convert("RGB"), RED).getbbox() is None


def test_many_references_fit_s3_metadata() -> None:
    records = [{"path": f"characters/c{n}/turnaround/v1.png", "sha256": f"{n:064x}",
                "url": f"https://pub.test/prod/characters/c{n}/turnaround/v1.abcdef.png",
                "version": 1} for n in range(12)]
    meta = object_metadata({"prompt": "p" * 5000, "references": records})
    assert sum(len(k) + len(v) for k, v in meta.items()) <= BUDGET
    assert meta["offload-references-count"] == "12"
    assert meta["offload-references-sha256"].split(",")[0] == records[0]["sha256"]
    assert "offload-prompt" in meta
    few = object_metadata({"references": records[:2]})
    assert json.loads(few["offload-references"].replace("%25", "%")) == records[:2]


def test_list_reads_old_single_reference_entries(repo: GitRepo) -> None:
    assert turnaround(repo, "--character", "mira", "--prompt", "p").rc == 0
    second = turnaround(repo, "--character", "mira", "--prompt", "again", "--reference",
                        "characters/mira/turnaround/v1.png", "--json")
    assert second.rc == 0, second.output
    v1_sha = json.loads((repo.path / "offload.lock").read_text().splitlines()[0])["sha256"]
    new_style = second.json()["meta"]["references"]
    assert new_style == [{"path": "characters/mira/turnaround/v1.png", "sha256": v1_sha,
                          "url": new_style[0]["url"], "version": 1}]
    lock = repo.path / "offload.lock"
    lines = [json.loads(line) for line in lock.read_text().splitlines()]
    del lines[1]["meta"]["references"]  # as written before the list existed
    lock.write_text("".join(json.dumps(line) + "\n" for line in lines))
    listed = generate(repo, "list", "--character", "mira", "--json")
    assert listed.rc == 0, listed.output
    old = listed.json()["items"][1]["references"]
    assert old == [{"url": new_style[0]["url"], "sha256": v1_sha, "version": 1}]
