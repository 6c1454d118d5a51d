"""`offload log PATH`: every version an asset had across history, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offload.errors import UsageError
from offload.history.lockwalk import Introduced, walk_lock_changes
from offload.workspace import Workspace

SUMMARY_FIELDS = ("provider", "model", "reference", "parent", "created_at")
PROMPT_CHARS = 60


@dataclass(frozen=True)
class AssetLog:
    path: str
    versions: list[Introduced]
    unreadable_lines: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "count": len(self.versions),
            "versions": [version_json(v) for v in self.versions],
            "unreadable_lines": self.unreadable_lines,
        }


def asset_log(ws: Workspace, path: str) -> AssetLog:
    """``path`` is a repository path (as recorded in offload.lock)."""
    lock = ws.config.manifest_path.relative_to(ws.root).as_posix()
    walk = walk_lock_changes(ws.root, lock, wanted=path)
    if not walk.introduced:
        raise UsageError(
            f"{path} has no version in any committed {lock}",
            "give the path as `offload ls` prints it (relative to the repository root), and "
            "commit offload.lock after `offload put`",
        )
    return AssetLog(path, walk.introduced, walk.unreadable_lines)


def version_json(version: Introduced) -> dict[str, Any]:
    entry, commit = version.entry, version.commit
    return {
        "commit": commit.sha,
        "parents": list(commit.parents),
        "date": commit.date,
        "author": commit.author,
        "subject": commit.subject,
        "sha256": entry.sha256,
        "size": entry.size,
        "key": entry.key,
        "url": entry.url,
        "content_type": entry.content_type,
        "source": entry.source,
        "provenance": provenance_summary(entry.meta),
        "meta": dict(sorted(entry.meta.items())),
    }


def provenance_summary(meta: dict[str, Any]) -> str:
    """One line: provider, model, reference, parent, date, then the start of the prompt."""
    parts = [f"{name} {meta[name]}" for name in SUMMARY_FIELDS if meta.get(name)]
    prompt = meta.get("prompt")
    if prompt:
        text = " ".join(str(prompt).split())
        cut = text if len(text) <= PROMPT_CHARS else text[:PROMPT_CHARS - 1] + "…"
        parts.append(f'prompt "{cut}"')
    return ", ".join(parts)
