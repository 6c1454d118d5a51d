"""The placeholder sheet says PLACEHOLDER and marks the fixed view; generate names its maker."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFont

import offload
from offload.generate.drawing import STAMP_INK
from offload.generate.placeholder import FIX_INK, PANEL_W
from testing.repos import GitRepo
from tests.generate.helpers import turnaround
from tests.generate.test_generate_references import pixels_of


def sheet(url: str) -> Image.Image:
    return Image.open(url.removeprefix("file://")).convert("RGB")


def word_mask(word: str, background: tuple[int, int, int]) -> Image.Image:
    """``word`` as the sheet's stamp would draw it, as a mask of its exact-ink pixels."""
    image = Image.new("RGB", (240, 40), background)
    ImageDraw.Draw(image).text((4, 4), word, fill=STAMP_INK, font=ImageFont.load_default(16))
    mask = pixels_of(image, STAMP_INK)
    return mask.crop(mask.getbbox())


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def test_sheet_says_placeholder_in_every_view_and_marks_the_fixed_one(repo: GitRepo) -> None:
    first = turnaround(repo, "--character", "mira", "--prompt", "pilot", "--json")
    assert first.rc == 0, first.output
    fixed = turnaround(repo, "--character", "mira", "--prompt", "the 3/4 view is off",
                       "--reference", "characters/mira/turnaround/v1.png",
                       "--fix-view", "three-quarter")
    assert fixed.rc == 0, fixed.output
    url = fixed.stdout.strip()
    assert url.startswith("file://") and "\n" not in url  # stdout: the URL alone, for scripts
    assert f"offload {offload.__version__}" in fixed.stderr and "placeholder" in fixed.stderr

    image = sheet(url)
    background = image.getpixel((PANEL_W // 2, image.height - 4))
    expected = word_mask("PLACEHOLDER", background)
    assert not same(expected, word_mask("PLACEHOLDEX", background))  # the test can tell
    stamp = pixels_of(image, STAMP_INK)
    for panel in range(4):
        box = stamp.crop((panel * PANEL_W, 0, (panel + 1) * PANEL_W, image.height))
        assert box.getbbox() is not None, f"no stamp in view {panel}"
        assert same(box.crop(box.getbbox()), expected), f"view {panel} does not say PLACEHOLDER"

    marked = pixels_of(image, FIX_INK).getbbox()
    assert marked is not None
    left, _, right, _ = marked
    assert PANEL_W <= left and right <= 2 * PANEL_W  # only the three-quarter view (second)
    unmarked = sheet(first.json()["url"])
    assert pixels_of(unmarked, FIX_INK).getbbox() is None
    assert pixels_of(unmarked, STAMP_INK).getbbox() is not None
