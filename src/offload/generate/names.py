"""Names (characters, views, scenes, shots) and the versioned repository paths built from them.

A versioned folder holds ``v1.png``, ``v2.png``… and their claims under ``.claims/``:
a character's turnarounds, or one storyboard shot's frames.
"""

from __future__ import annotations

import re

from offload.errors import UsageError

VIEWS = ("front", "three-quarter", "side", "back")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_VERSION_FILE = re.compile(r"^v(\d+)(?:\.[0-9a-f]{6,64})?\.(?:png|glb)$")
_SHOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def check_character(name: str) -> str:
    if "/" in name or "\\" in name or ".." in name or not _NAME.match(name):
        raise UsageError(
            f"character name {name!r} is not allowed",
            "use letters, digits, '.', '_' or '-' (no '/', no '..', at most 64 characters), "
            "e.g. --character mira",
        )
    return name


def parse_views(text: str | None) -> tuple[str, ...]:
    if not text:
        return VIEWS
    views = tuple(v.strip() for v in text.split(",") if v.strip())
    unknown = [v for v in views if v not in VIEWS]
    if unknown or not views or len(set(views)) != len(views):
        raise UsageError(
            f"--views {text!r} is not a comma-separated list of distinct views",
            f"choose from {','.join(VIEWS)}",
        )
    return views


def turnaround_dir(character: str) -> str:
    return f"characters/{check_character(character)}/turnaround"


def turnaround_path(character: str, version: int) -> str:
    return versioned_path(turnaround_dir(character), version)


def claim_key(character: str, version: int) -> str:
    return folder_claim_key(turnaround_dir(character), version)


def frame_dir(scene: str, shot: str) -> str:
    for option, value in (("--scene", scene), ("--shot", shot)):
        if not _SHOT.match(value):
            raise UsageError(f"{option} {value!r} is not allowed",
                             f"use letters, digits, '_' or '-' (at most 32), e.g. {option} 3")
    return f"storyboards/scene{scene}/shot{shot}"


def model_dir(character: str) -> str:
    return f"characters/{check_character(character)}/model"


def versioned_path(folder: str, version: int, suffix: str = ".png") -> str:
    return f"{folder}/v{version}{suffix}"


def folder_claim_key(folder: str, version: int) -> str:
    return f"{folder}/.claims/v{version}"


def version_in(folder: str, path_or_key: str) -> int | None:
    """The N of ``<folder>/vN.png`` or ``.glb`` (or of its key ``vN.<hash>.png``), else None."""
    if not path_or_key.startswith(folder + "/"):
        return None
    match = _VERSION_FILE.match(path_or_key[len(folder) + 1:])
    return int(match.group(1)) if match else None


def version_of(path_or_url: str) -> int | None:
    """The N of ``…/turnaround/vN.png`` (or of its key ``vN.<hash>.png``), else None."""
    parts = path_or_url.split("?")[0].split("#")[0].rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != "turnaround":
        return None
    match = _VERSION_FILE.match(parts[-1])
    return int(match.group(1)) if match else None


def character_of(path_or_url: str) -> str | None:
    parts = path_or_url.split("?")[0].split("/")
    if len(parts) >= 4 and parts[-2] == "turnaround" and parts[-4] == "characters":
        return parts[-3]
    return None
