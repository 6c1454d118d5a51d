"""The versions in a versioned folder (turnarounds, 3D models, a shot's frames) and their
parent chains."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offload.generate.names import (
    check_character,
    frame_dir,
    model_dir,
    turnaround_dir,
    version_in,
)
from offload.generate.references import references_of
from offload.generate.versions import claimed_versions
from offload.manifest import Entry
from offload.workspace import Workspace


@dataclass(frozen=True)
class VersionRow:
    version: int
    entry: Entry | None  # None: claimed in the store but not in this worktree's manifest
    chain: tuple[int, ...]  # parent, grandparent, …
    folder: str = ""

    @property
    def kind(self) -> str:
        return {"turnaround": "turnaround", "model": "model"}.get(
            self.folder.rsplit("/", 1)[-1], "frame")

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"version": self.version, "lineage": list(self.chain),
                                  "kind": self.kind, "folder": self.folder}
        if self.entry is None:
            record["state"] = "claimed (not in this worktree's offload.lock)"
        else:
            record.update(path=self.entry.path, url=self.entry.url, meta=self.entry.meta,
                          references=references_of(self.entry.meta))
        return record


def list_versions(ws: Workspace, character: str, with_claims: bool = True) -> list[VersionRow]:
    return folder_rows(ws, turnaround_dir(check_character(character)), with_claims)


def model_rows(ws: Workspace, character: str) -> list[VersionRow]:
    return folder_rows(ws, model_dir(character))


def scene_rows(ws: Workspace, scene: str, shot: str | None = None) -> list[VersionRow]:
    """Every recorded shot of the scene (or the one shot), shot by shot, oldest first."""
    if shot is not None:
        return folder_rows(ws, frame_dir(scene, shot))
    prefix = frame_dir(scene, "any").removesuffix("shotany")
    folders = {path.rsplit("/", 1)[0] for path in ws.manifest.read()
               if path.startswith(prefix) and path.count("/") == prefix.count("/") + 1}
    return [row for folder in sorted(folders) for row in folder_rows(ws, folder)]


def folder_rows(ws: Workspace, folder: str, with_claims: bool = True) -> list[VersionRow]:
    recorded: dict[int, Entry] = {}
    for path, entry in ws.manifest.read().items():
        number = version_in(folder, path)
        if number is not None:
            recorded[number] = entry
    numbers = set(recorded) | (claimed_versions(ws, folder) if with_claims else set())
    parents = {n: _parent(e) for n, e in recorded.items()}
    return [VersionRow(n, recorded.get(n), _chain(n, parents), folder) for n in sorted(numbers)]


def _parent(entry: Entry) -> int | None:
    value = entry.meta.get("parent")
    return value if isinstance(value, int) else None


def _chain(number: int, parents: dict[int, int | None]) -> tuple[int, ...]:
    chain: list[int] = []
    current = parents.get(number)
    while current is not None and current not in chain and current != number:
        chain.append(current)
        current = parents.get(current)
    return tuple(chain)
