"""What the sample production repository of ``offload demo`` holds, commit by commit."""

from __future__ import annotations

import hashlib
import io
import random

LFS_PATTERNS = ("*.png", "*.jpg")
VIEWS = ("front", "three-quarter", "side", "back")
CAFE_SHOT = "storyboard/scene-03/café wide.png"


def image(label: str, views: tuple[str, ...] = ("",), size: tuple[int, int] = (320, 180)) -> bytes:
    """A real PNG: one panel per view, coloured from the label, captioned.

    Seeded grain makes it compress like a generated image does (barely), and keeps every
    build byte-identical.
    """
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(label.encode()).digest()
    width, height = size
    base = Image.new("RGB", size, (digest[0] // 2 + 64, digest[1] // 2 + 64, digest[2] // 2 + 64))
    grain = random.Random(digest).randbytes(width * height * 3)
    picture = Image.blend(base, Image.frombytes("RGB", size, grain), 0.15)
    draw = ImageDraw.Draw(picture)
    panel = width // len(views)
    for index, view in enumerate(views):
        left = index * panel
        draw.rectangle((left + 4, 24, left + panel - 4, height - 6), outline=(20, 20, 20), width=2)
        centre = left + panel // 2
        draw.ellipse((centre - 12, 34, centre + 12, 58), fill=(digest[3], digest[4], digest[5]))
        if view:
            draw.text((left + 8, height - 22), view, fill=(0, 0, 0))
    draw.text((6, 6), label, fill=(0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False)
    return out.getvalue()


def turnaround(character: str, version: int) -> bytes:
    return image(f"{character} turnaround v{version}", VIEWS)


def character_yaml(name: str, version: int) -> str:
    return (
        f"# {name}: reference sheet used by every generation prompt\n"
        f"name: {name.capitalize()}\n"
        f"turnaround: turnaround/v{version}.png   # relative to this file\n"
        f"portrait: 'characters/{name}/portrait.png'\n"
        "palette: [teal, amber]\n"
    )


def readme(mira_version: int) -> str:
    return (
        "# The Lighthouse: production repository\n\n"
        "Prompts, storyboards and the generated images of the short film.\n\n"
        f"![Mira, turnaround](characters/mira/turnaround/v{mira_version}.png \"current sheet\")\n"
        "![Mira](<characters/mira/portrait.png>) ![cover][cover]\n\n"
        "Next sheet will be [v4](characters/mira/turnaround/v4.png) (not generated yet).\n"
        "Generate with `offload generate turnaround --character mira` "
        "(see `characters/mira/turnaround/v1.png` for the first try).\n\n"
        "[cover]: /storyboard/cover.png\n"
    )


SCENE_01 = (
    "# Scene 1: the harbour at dawn\n\n"
    "| shot | frame |\n|---|---|\n"
    "| 1 | ![shot 1](shot-01.png) |\n| 2 | ![shot 2](./shot-02.png#crop) |\n\n"
    "Characters: [Mira](../../characters/mira/character.yaml).\n"
)
SCENE_03 = (
    "# Scene 3: the café\r\n\r\n"
    "![wide](<café wide.png>)\r\n"
    "Same frame, percent-encoded: ![wide](caf%C3%A9%20wide.png)\r\n"
    '<img src="../scene-01/shot-01.png" alt="callback to the harbour" width="128">\r\n'
)
SHOTS_JSON = (
    '{\n  "scenes": [\n'
    '    {"id": 1, "frames": ["storyboard/scene-01/shot-01.png", '
    '"storyboard/scene-01/shot-02.png"]},\n'
    '    {"id": 3, "frames": ["scene-03/café wide.png"]}\n'
    '  ],\n  "cover": "/storyboard/cover.png"\n}\n'
)
INDEX_HTML = (
    "<!doctype html>\n<html><head><link rel=\"stylesheet\" href=\"style.css\"></head>\n<body>\n"
    "  <h1>The Lighthouse</h1>\n"
    '  <img src="../characters/mira/portrait.png" alt="Mira"\n'
    '       srcset="../characters/mira/turnaround/v1.png 1x, '
    '../characters/mira/turnaround/v2.png 2x">\n'
    '  <video poster="/storyboard/cover.png" src="https://example.com/animatic.mp4"></video>\n'
    "  <div class=\"kenji\" style=\"background-image: url('../characters/kenji/portrait.png')\">"
    "</div>\n  <a href=\"../README.md\">readme</a>\n</body></html>\n"
)
STYLE_CSS = (
    "body { background: #111 url(../storyboard/cover.png) no-repeat; }\n"
    '.hero { background-image: url("/characters/mira/portrait.png?v=2"); }\n'
)
RENDER_PY = (
    '"""Render the animatic from the storyboard frames."""\n\n'
    'FRAMES = ["storyboard/scene-01/shot-01.png", "storyboard/scene-01/shot-02.png"]\n'
)
