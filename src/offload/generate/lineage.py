"""The versions of a character's turnaround and each one's parent chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offload.generate.names import check_character, turnaround_dir, version_of
from offload.generate.references import references_of
from offload.generate.versions import claimed_versions
from offload.manifest import Entry
from offload.workspace import Workspace


@dataclass(frozen=True)
class VersionRow:
    version: int
    entry: Entry | None  # None: claimed in the store but not in this worktree's manifest
    chain: tuple[int, ...]  # parent, grandparent, …

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"version": self.version, "lineage": list(self.chain)}
        if self.entry is None:
            record["state"] = "claimed (not in this worktree's offload.lock)"
        else:
            record.update(path=self.entry.path, url=self.entry.url, meta=self.entry.meta,
                          references=references_of(self.entry.meta))
        return record


def list_versions(ws: Workspace, character: str, with_claims: bool = True) -> list[VersionRow]:
    prefix = turnaround_dir(check_character(character)) + "/"
    recorded: dict[int, Entry] = {}
    for path, entry in ws.manifest.read().items():
        number = version_of(path) if path.startswith(prefix) else None
        if number is not None:
            recorded[number] = entry
    numbers = set(recorded) | (claimed_versions(ws, prefix[:-1]) if with_claims else set())
    parents = {n: _parent(e) for n, e in recorded.items()}
    return [VersionRow(n, recorded.get(n), _chain(n, parents)) for n in sorted(numbers)]


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
