"""``offload approve``: one approved version per asset family, recorded as ``meta.approved``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from offload.errors import UsageError
from offload.gallery.catalog import family_of
from offload.manifest import Entry
from offload.workspace import Workspace


@dataclass(frozen=True)
class Approval:
    entry: Entry
    family: str
    replaced: tuple[str, ...]  # paths of the family whose approval was taken back


def approve(ws: Workspace, target: str) -> Approval:
    from offload.ops.fetch import find_entry

    path = find_entry(ws, target).path
    family = family_of(path)
    replaced: list[str] = []
    with ws.manifest.editing() as entries:
        current = entries.get(path)
        if current is None:  # removed by another writer since find_entry read the file
            raise UsageError(f"{path} is not in offload.lock", "run `offload ls` and retry")
        for other_path, other in list(entries.items()):
            if other_path != path and family_of(other_path) == family and "approved" in other.meta:
                entries[other_path] = replace(other, meta=without_approval(other.meta))
                replaced.append(other_path)
        approved = replace(current, meta={**current.meta, "approved": True})
        entries[path] = approved
    return Approval(approved, family, tuple(replaced))


def without_approval(meta: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in meta.items() if k != "approved"}


def is_approved(entry: Entry) -> bool:
    return entry.meta.get("approved") is True
