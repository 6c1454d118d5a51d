"""``offload status``: what ``git status`` would say about assets.

Artifacts in the work tree that are neither ignored nor recorded, recorded files that changed
or were never pulled, uncommitted ``offload.lock`` changes, and migrations still in progress.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from offload.workspace import Workspace


@dataclass(frozen=True)
class Unrecorded:
    path: str
    size: int
    reason: str
    tracked: bool


@dataclass(frozen=True)
class Migration:
    name: str
    command: str  # "migrate" or "rebase-urls"
    phase: str


@dataclass
class Status:
    unrecorded: list[Unrecorded] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    not_pulled: list[str] = field(default_factory=list)
    missing_from_store: list[str] | None = None  # None: the store was not asked
    lock: str = "clean"  # clean, absent, untracked, staged, modified
    migrations: list[Migration] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.unrecorded or self.changed or self.not_pulled or self.migrations
                    or self.missing_from_store or self.lock not in ("clean", "absent"))

    def to_json(self) -> dict[str, Any]:
        return {"kind": "status", "clean": self.clean,
                "unrecorded": [asdict(u) for u in self.unrecorded], "changed": self.changed,
                "not_pulled": self.not_pulled, "missing_from_store": self.missing_from_store,
                "lock": self.lock,
                "migrations": [asdict(m) for m in self.migrations]}


def collect_status(ws: Workspace, ask_store: bool = False) -> Status:
    """Local facts only, unless ``ask_store``: then also which recorded objects the store
    lacks (size and sha256 as recorded)."""
    from offload.ops.status.files import compare_recorded, unrecorded_artifacts
    from offload.ops.status.state import lock_state, migrations_in_progress

    entries = ws.manifest.read()
    changed, not_pulled = compare_recorded(ws, entries)
    missing = None
    if ask_store:
        from offload.ops.put import absent_in_store

        ordered = sorted(entries.values(), key=lambda e: e.path.encode("utf-8"))
        missing = [e.path for e, lacking in zip(ordered, absent_in_store(ws, ordered, 8),
                                                strict=True) if lacking]
    return Status(unrecorded=unrecorded_artifacts(ws, set(entries)), changed=changed,
                  not_pulled=not_pulled, missing_from_store=missing, lock=lock_state(ws),
                  migrations=migrations_in_progress(ws))
