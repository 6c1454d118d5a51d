"""Every version of every asset known to offload.lock: the work tree's file and, through one
``git log -p`` process, every committed revision of it on any ref."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from offload.git.run import run_git
from offload.manifest import Entry
from offload.workspace import Workspace

_COMMIT = "\x1e"
_FIELD = "\x1f"


@dataclass
class Version:
    entry: Entry
    commit: str | None  # the oldest commit whose offload.lock holds it; None: uncommitted
    committed_at: str | None
    current: bool  # in the work tree's offload.lock

    @property
    def created_at(self) -> str | None:
        value = self.entry.meta.get("created_at")
        return str(value) if value else self.committed_at

    def sort_time(self) -> datetime:
        for text in (self.created_at, self.committed_at):
            moment = _parse_time(text)
            if moment is not None:
                return moment
        return datetime.max.replace(tzinfo=UTC)  # uncommitted and undated: the newest


def collect_versions(ws: Workspace) -> list[Version]:
    """Distinct (path, sha256) pairs; the work tree's entry (with its meta) wins."""
    found: dict[tuple[str, str], Version] = {}
    for entry in ws.manifest.read().values():
        found[(entry.path, entry.sha256)] = Version(entry, None, None, True)
    for commit, when, entry in _committed_entries(ws):
        version = found.get((entry.path, entry.sha256))
        if version is None:
            found[(entry.path, entry.sha256)] = Version(entry, commit, when, False)
        else:  # the log runs newest first: the last one seen is where it appeared
            version.commit, version.committed_at = commit, when
    return list(found.values())


def _committed_entries(ws: Workspace) -> list[tuple[str, str, Entry]]:
    lock = ws.config.manifest_path.relative_to(ws.root).as_posix()
    result = run_git("-c", "core.quotepath=off", "log", "--all", "-p", "-U0", "--no-color",
                     "--no-ext-diff", "--no-renames", "--no-textconv",
                     f"--format={_COMMIT}%H{_FIELD}%cI", "--", lock, cwd=ws.root, check=False)
    if result.rc != 0:  # no commits yet, or not a repository with history
        return []
    rows: list[tuple[str, str, Entry]] = []
    for chunk in result.text.split(_COMMIT)[1:]:
        header, _, diff = chunk.partition("\n")
        commit, _, when = header.partition(_FIELD)
        for line in diff.splitlines():
            if line.startswith("+{"):
                entry = _parse_line(line[1:])
                if entry is not None:
                    rows.append((commit, when, entry))
    return rows


def _parse_line(text: str) -> Entry | None:
    try:
        record = json.loads(text)
        return Entry.from_json(record) if isinstance(record, dict) else None
    except (ValueError, KeyError, TypeError):
        return None  # a malformed historical line is skipped, not fatal to the page


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
