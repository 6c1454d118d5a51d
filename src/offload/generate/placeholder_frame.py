"""The placeholder's storyboard frame: a staged scene, the prompt, and every reference shown."""

from __future__ import annotations

import random
import textwrap
from typing import Any

from offload.generate.drawing import STAMP, STAMP_INK, colour, font, paste_reference
from offload.generate.provider import ImageRequest

DEFAULT_SIZE = (1024, 576)
STRIP = 112  # the band at the bottom that shows the reference thumbnails
THUMB = (120, 80)


def draw_frame(request: ImageRequest, rng: random.Random) -> Any:
    from PIL import Image, ImageDraw

    width, height = request.size or DEFAULT_SIZE
    strip = STRIP if request.references else 0
    frame = Image.new("RGB", (width, height), (250, 249, 246))
    draw = ImageDraw.Draw(frame)
    horizon = max(40, (height - strip) * 3 // 5)
    draw.rectangle((0, 0, width, horizon), fill=colour(rng, 170, 230))
    draw.rectangle((0, horizon, width, height - strip), fill=colour(rng, 90, 160))
    names = [n for n in request.character.split(",") if n]
    for index, name in enumerate(names):
        cx = width * (index + 1) // (len(names) + 1)
        _stand_in(draw, cx, horizon, colour(rng, 30, 200), name)
    draw.text((12, 8), request.title or "frame", fill=(20, 20, 20), font=font(24))
    draw.text((12, 38), f"v{request.version}  seed {request.seed}", fill=(60, 60, 60),
              font=font(14))
    draw.text((12, 58), STAMP, fill=STAMP_INK, font=font(16))
    caption = textwrap.shorten(request.prompt, width=max(20, width // 8), placeholder="…")
    draw.text((12, height - strip - 24), caption, fill=(20, 20, 20), font=font(15))
    _reference_strip(frame, request, height - strip + 8)
    return frame


def _stand_in(draw: Any, cx: int, ground: int, cloth: tuple[int, int, int], name: str) -> None:
    """A figure standing on the ground line, its name under its feet."""
    draw.ellipse((cx - 18, ground - 150, cx + 18, ground - 114), fill=(235, 205, 180),
                 outline=(40, 40, 40))
    draw.rectangle((cx - 26, ground - 110, cx + 26, ground - 40), fill=cloth)
    draw.rectangle((cx - 22, ground - 40, cx + 22, ground), fill=cloth)
    draw.text((cx - 24, ground + 4), name, fill=(20, 20, 20), font=font(14))


def _reference_strip(frame: Any, request: ImageRequest, top: int) -> None:
    """Thumbnails left to right in reference order; those past the right edge are counted."""
    if not request.references:
        return
    from PIL import ImageDraw

    right = 12 + THUMB[0]
    for shown, reference in enumerate(request.references):
        if right > frame.width - 12:
            rest = len(request.references) - shown
            ImageDraw.Draw(frame).text((right - THUMB[0], top + 30), f"+{rest} more",
                                       fill=(60, 60, 60), font=font(14))
            return
        paste_reference(frame, reference, right, THUMB, top)
        right += THUMB[0] + 16
