"""An offline provider: a labelled sheet or frame drawn with Pillow, deterministic per seed."""

from __future__ import annotations

import io
import random
import textwrap
from typing import Any

from offload.generate.drawing import STAMP, STAMP_INK, colour, font, paste_reference
from offload.generate.prompt import LABELS
from offload.generate.provider import ImageRequest

PANEL_W, PANEL_H, HEADER, FOOTER = 256, 384, 72, 48
FIX_INK = (235, 120, 0)  # the frame and label of the view being corrected (--fix-view)


class PlaceholderProvider:
    name = "placeholder"

    def model_name(self, requested: str | None) -> str | None:
        return requested or "placeholder-v1"

    def generate(self, request: ImageRequest) -> bytes:
        rng = random.Random(request.seed if request.seed is not None else 0)
        from offload.generate.placeholder_frame import draw_frame

        image = _sheet(request, rng) if request.views else draw_frame(request, rng)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()


def _sheet(request: ImageRequest, rng: random.Random) -> Any:
    from PIL import Image, ImageDraw

    skin = colour(rng, 150, 255)
    cloth = colour(rng, 40, 200)
    accent = colour(rng, 0, 255)
    width = PANEL_W * len(request.views)
    sheet = Image.new("RGB", (width, HEADER + PANEL_H + FOOTER), (245, 244, 240))
    draw = ImageDraw.Draw(sheet)
    draw.text((16, 10), request.character, fill=(20, 20, 20), font=font(30))
    draw.text((16, 46), f"turnaround v{request.version}  seed {request.seed}",
              fill=(90, 90, 90), font=font(16))
    for index, view in enumerate(request.views):
        left = index * PANEL_W
        fixed = view == request.fix_view
        draw.rectangle((left + 4, HEADER, left + PANEL_W - 4, HEADER + PANEL_H - 4),
                       outline=FIX_INK if fixed else (180, 180, 180), width=6 if fixed else 2)
        draw.text((left + 14, HEADER + 12), STAMP, fill=STAMP_INK, font=font(16))
        if fixed:
            draw.text((left + PANEL_W - 62, HEADER + 12), "FIXED", fill=FIX_INK, font=font(16))
        _figure(draw, left + PANEL_W // 2, HEADER + 40, view, skin, cloth, accent)
        draw.text((left + 14, HEADER + PANEL_H - 34), LABELS[view], fill=(30, 30, 30),
                  font=font(18))
    caption = textwrap.shorten(request.prompt, width=max(30, width // 9), placeholder="…")
    draw.text((16, HEADER + PANEL_H + 12), caption, fill=(60, 60, 60), font=font(15))
    right = sheet.width - 12
    for reference in reversed(request.references):
        right = paste_reference(sheet, reference, right, (96, 44), 4) - 12
        if right < 360:
            break
    return sheet


def _figure(draw: Any, cx: int, top: int, view: str, skin: tuple[int, int, int],
            cloth: tuple[int, int, int], accent: tuple[int, int, int]) -> None:
    """A simple figure whose silhouette and face marks change with the view."""
    half = {"front": 46, "three-quarter": 38, "side": 22, "back": 46}[view]
    draw.ellipse((cx - 28, top, cx + 28, top + 60), fill=skin, outline=(40, 40, 40))
    draw.rectangle((cx - half, top + 66, cx + half, top + 200), fill=cloth)
    draw.rectangle((cx - half + 4, top + 200, cx - 4, top + 290), fill=cloth)
    draw.rectangle((cx + 4, top + 200, cx + half - 4, top + 290), fill=cloth)
    draw.rectangle((cx - half, top + 120, cx + half, top + 132), fill=accent)
    if view == "front":
        for dx in (-11, 11):
            draw.ellipse((cx + dx - 4, top + 24, cx + dx + 4, top + 32), fill=(20, 20, 20))
    elif view == "three-quarter":
        for dx in (2, 18):
            draw.ellipse((cx + dx - 4, top + 24, cx + dx + 4, top + 32), fill=(20, 20, 20))
    elif view == "side":
        draw.ellipse((cx + 16, top + 24, cx + 24, top + 32), fill=(20, 20, 20))
        draw.polygon([(cx + 28, top + 30), (cx + 38, top + 40), (cx + 27, top + 42)], fill=skin)
    else:
        draw.chord((cx - 28, top, cx + 28, top + 60), 180, 360, fill=(70, 50, 40))
