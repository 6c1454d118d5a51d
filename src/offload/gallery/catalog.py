"""Assets grouped into families (a folder of numbered versions, or one path's revisions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from posixpath import basename, dirname

from offload.gallery.history import Version, collect_versions
from offload.workspace import Workspace

_NUMBERED = re.compile(r"^v(\d+)(?:\.[^/]*)?$")
GROUPS = ("Characters", "Scenes & storyboards", "Other")


def family_of(path: str) -> str:
    """``characters/nina/turnaround/v3.png`` → its folder; any other path is its own family."""
    folder = dirname(path)
    return folder if folder and _NUMBERED.match(basename(path)) else path


def number_of(path: str) -> int | None:
    match = _NUMBERED.match(basename(path))
    return int(match.group(1)) if match else None


_SCENE_BOARD = re.compile(r"storyboards/(scene[^/]+)/", re.IGNORECASE)


def group_of(family: str) -> str:
    """Characters; one group per storyboard scene (``storyboards/scene3/…``); scenes; other."""
    scene = _SCENE_BOARD.match(family)
    if scene:
        return f"Storyboard {scene.group(1)}"
    top = family.split("/", 1)[0].lower()
    if top == "characters":
        return GROUPS[0]
    if top in ("scenes", "storyboards", "storyboard"):
        return GROUPS[1]
    return GROUPS[2]


@dataclass
class Family:
    id: str
    versions: list[Version] = field(default_factory=list)  # newest first
    labels: dict[int, str] = field(default_factory=dict)  # id(version) -> "v3" / "r2"

    @property
    def group(self) -> str:
        return group_of(self.id)

    @property
    def numbered(self) -> bool:
        return self.id != self.versions[0].entry.path

    @property
    def approved(self) -> Version | None:
        return next((v for v in self.versions if v.current and v.entry.meta.get("approved")
                     is True), None)

    @property
    def cover(self) -> Version:
        return self.approved or next((v for v in self.versions if v.current), self.versions[0])

    def label(self, version: Version) -> str:
        return self.labels[id(version)]

    def sources(self) -> set[str]:
        return {v.entry.source for v in self.versions}

    def matches(self, text: str, source: str) -> bool:
        if source and source not in self.sources():
            return False
        needle = text.strip().lower()
        return not needle or any(needle in v.entry.path.lower() for v in self.versions)


@dataclass
class Catalog:
    families: list[Family]

    def find(self, family_id: str) -> Family | None:
        return next((f for f in self.families if f.id == family_id), None)

    def version_by_sha(self, sha256: str) -> Version | None:
        for family in self.families:
            for version in family.versions:
                if version.entry.sha256 == sha256:
                    return version
        return None

    def grouped(self, text: str = "", source: str = "") -> list[tuple[str, list[Family]]]:
        shown = [f for f in self.families if f.matches(text, source)]
        scenes = sorted({f.group for f in shown} - set(GROUPS), key=_natural)
        order = [GROUPS[0], *scenes, *GROUPS[1:]]
        return [(g, [f for f in shown if f.group == g]) for g in order
                if any(f.group == g for f in shown)]


def _natural(text: str) -> list[object]:
    """``scene10`` after ``scene9``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def build_catalog(ws: Workspace) -> Catalog:
    by_family: dict[str, Family] = {}
    for version in collect_versions(ws):
        family_id = family_of(version.entry.path)
        by_family.setdefault(family_id, Family(family_id)).versions.append(version)
    for family in by_family.values():
        family.versions.sort(key=_newest_first_key, reverse=True)
        _assign_labels(family)
    return Catalog(sorted(by_family.values(), key=lambda f: f.id))


def _newest_first_key(version: Version) -> tuple[object, ...]:
    return (version.sort_time(), number_of(version.entry.path) or 0, version.current,
            version.entry.path)


def _assign_labels(family: Family) -> None:
    taken: set[str] = set()
    oldest_first = list(reversed(family.versions))
    for index, version in enumerate(oldest_first, start=1):
        number = number_of(version.entry.path) if family.numbered else None
        label = f"v{number}" if number is not None else f"r{index}"
        while label in taken:
            label += "'"
        taken.add(label)
        family.labels[id(version)] = label
