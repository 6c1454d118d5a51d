"""generate turnaround with the placeholder provider on the local store and on moto."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from offload.generate.placeholder import PlaceholderProvider
from offload.generate.provider import ImageRequest
from offload.workspace import Workspace
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import generate, manifest_lines, turnaround, use_s3


def test_text_to_image_goes_straight_to_the_store(repo: GitRepo) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "a red-haired pilot",
                        "--seed", "7")
    assert result.rc == 0, result.output
    url = result.stdout.strip()
    [line] = manifest_lines(repo)
    record = json.loads(line)
    assert record["path"] == "characters/mira/turnaround/v1.png"
    assert record["url"] == url and url.startswith("file://")
    assert record["source"] == "generate"
    assert record["key"].startswith("characters/mira/turnaround/v1.")
    meta = record["meta"]
    assert meta["prompt"] == "a red-haired pilot"
    assert meta["provider"] == "placeholder" and meta["seed"] == 7
    assert meta["mode"] == "text-to-image" and meta["created_at"]
    assert "parent" not in meta and "reference" not in meta
    # No image anywhere in the work tree: only the manifest is new.
    assert repo.git("status", "--porcelain", "--untracked-files=all").split() == [
        "??", "offload.lock"]
    ws = Workspace.discover(repo.path)
    info = ws.backend.head(record["key"])
    assert info is not None and info.sha256 == record["sha256"]
    assert info.metadata["offload-prompt"] == "a red-haired pilot"
    assert info.metadata["offload-provider"] == "placeholder"
    image = Image.open(Path(url.removeprefix("file://")))
    assert image.format == "PNG" and image.size == (1024, 504)


def test_placeholder_is_deterministic_per_seed() -> None:
    def render(seed: int) -> bytes:
        return PlaceholderProvider().generate(ImageRequest(
            instruction="x", prompt="a pilot", character="mira", version=3,
            views=("front", "three-quarter", "side", "back"), seed=seed))

    assert render(1) == render(1)
    assert render(1) != render(2)
    assert Image.open(io.BytesIO(render(1))).format == "PNG"


def test_image_to_image_fix_view_records_parent_and_lineage(repo: GitRepo) -> None:
    assert turnaround(repo, "--character", "mira", "--prompt", "pilot").rc == 0
    second = turnaround(repo, "--character", "mira", "--prompt", "the 3/4 view is off",
                        "--reference", "characters/mira/turnaround/v1.png",
                        "--fix-view", "three-quarter", "--json")
    assert second.rc == 0, second.output
    record = second.json()
    v1 = json.loads(manifest_lines(repo)[0])
    assert record["path"] == "characters/mira/turnaround/v2.png"
    meta = record["meta"]
    assert meta["parent"] == 1 and meta["fix_view"] == "three-quarter"
    assert meta["reference"] == v1["url"] and meta["reference_sha256"] == v1["sha256"]
    assert meta["mode"] == "image-to-image"
    # The reference may also be given as its store URL.
    third = turnaround(repo, "--character", "mira", "--prompt", "again",
                       "--reference-url", record["url"], "--fix-view", "side")
    assert third.rc == 0, third.output
    listing = generate(repo, "list", "--character", "mira")
    assert listing.rc == 0, listing.output
    lines = listing.stdout.splitlines()
    assert lines[2].startswith("v3 <- v2 <- v1  [fix side]\t")
    assert lines[2].endswith(third.stdout.strip())
    as_json = generate(repo, "list", "--character", "mira", "--json").json()["items"]
    assert [row["lineage"] for row in as_json] == [[], [1], [2, 1]]


def test_http_reference_is_fetched_and_hashed(repo: GitRepo, web_dir: tuple[Path, str]
                                              ) -> None:
    folder, base = web_dir
    Image.new("RGB", (40, 30), (200, 10, 10)).save(folder / "sketch.jpg", format="JPEG")
    result = turnaround(repo, "--character", "mira", "--prompt", "from the sketch",
                        "--reference-url", f"{base}/sketch.jpg", "--json")
    assert result.rc == 0, result.output
    meta = result.json()["meta"]
    import hashlib

    assert meta["reference"] == f"{base}/sketch.jpg"
    assert meta["reference_sha256"] == hashlib.sha256((folder / "sketch.jpg").read_bytes()
                                                      ).hexdigest()
    assert "parent" not in meta


def test_explicit_version_then_next_free(repo: GitRepo) -> None:
    assert turnaround(repo, "--character", "kai", "--prompt", "p", "--version", "5").rc == 0
    nxt = turnaround(repo, "--character", "kai", "--prompt", "p", "--json")
    assert nxt.json()["path"] == "characters/kai/turnaround/v6.png"


def test_non_ascii_prompt_on_s3_metadata(repo: GitRepo, moto_s3: S3Server, s3_bucket: str
                                         ) -> None:
    env = use_s3(repo, moto_s3, s3_bucket)
    prompt = "Mira — pilote aux cheveux roux, 日本語 too\nsecond line"
    result = turnaround(repo, "--character", "mira", "--prompt", prompt, "--json", env=env)
    assert result.rc == 0, result.output
    record = result.json()
    assert record["url"].startswith("https://pub.example.test/prod/characters/mira/")
    reply = moto_s3.client().head_object(  # type: ignore[attr-defined]
        Bucket=s3_bucket, Key="prod/" + record["key"])
    from urllib.parse import unquote

    metadata = reply["Metadata"]
    assert all(value.isascii() for value in metadata.values())
    assert unquote(metadata["offload-prompt"]) == prompt
    assert metadata["offload-provider"] == "placeholder"
    assert record["meta"]["prompt"] == prompt


def test_views_subset_draws_only_those_panels(repo: GitRepo) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--views", "front,side",
                        "--json")
    assert result.rc == 0, result.output
    record = result.json()
    assert record["meta"]["views"] == ["front", "side"]
    assert Image.open(record["url"].removeprefix("file://")).size == (512, 504)
    bad = turnaround(repo, "--character", "mira", "--prompt", "p", "--views", "front,top")
    assert bad.rc == 2 and "choose from front,three-quarter,side,back" in bad.stderr
