"""Small Pillow helpers shared by the placeholder's turnaround sheet and storyboard frame."""

from __future__ import annotations

import io
import random
import textwrap
from typing import Any

from offload.generate.provider import Reference

REFERENCE_INK = (200, 60, 60)
STAMP_INK = (200, 30, 140)  # the word PLACEHOLDER: no one mistakes the sheet for real art
STAMP = "PLACEHOLDER"


def colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))


def font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size)


def paste_reference(image: Any, reference: Reference, right: int, box: tuple[int, int],
                    top: int) -> int:
    """A thumbnail ending at x=``right`` with its name under it; return its left edge."""
    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(reference.data)) as source:
        thumb = source.convert("RGB")
    thumb.thumbnail(box)
    left = right - max(thumb.width, box[0])
    image.paste(thumb, (left, top))
    draw = ImageDraw.Draw(image)
    draw.rectangle((left - 1, top - 1, left + thumb.width, top + thumb.height),
                   outline=REFERENCE_INK)
    label = textwrap.shorten(reference.name, width=max(8, box[0] // 7), placeholder="…")
    draw.text((left, top + thumb.height + 3), label, fill=REFERENCE_INK, font=font(12))
    return left
