"""Work-tree files against the rules and the manifest."""

from __future__ import annotations

import hashlib
import os
import stat

from offload.git.run import run_git
from offload.globs import first_match
from offload.manifest import Entry
from offload.ops.status import Unrecorded
from offload.workspace import Workspace

SNIFF_BYTES = 8192


def unrecorded_artifacts(ws: Workspace, recorded: set[str]) -> list[Unrecorded]:
    """Artifacts git sees (tracked, or untracked and not ignored) that offload.lock lacks.
    Untracked files are also sniffed for binary content; tracked ones by name and size only
    (`offload check --all` reads their content)."""
    listed = run_git("ls-files", "-z", "--cached", "--others", "--exclude-standard", "-t",
                     cwd=ws.root).z_fields()
    found: list[Unrecorded] = []
    seen: set[str] = set()
    for field in listed:
        tag, path = field[:1], field[2:].decode("utf-8", "surrogateescape")
        if path in recorded or path in seen:
            continue
        seen.add(path)
        tracked = tag != b"?"
        reason = _artifact_reason(ws, path, sniff=not tracked)
        if reason is not None:
            size = os.lstat(ws.root / path).st_size
            found.append(Unrecorded(path, size, reason, tracked))
    return found


def _artifact_reason(ws: Workspace, path: str, sniff: bool) -> str | None:
    rules = ws.config.artifacts
    try:
        info = os.lstat(ws.root / path)
    except OSError:
        return None  # deleted in the work tree
    if not stat.S_ISREG(info.st_mode) or first_match(rules.allow, path) is not None:
        return None
    pattern = first_match(rules.include, path, fold_case=True)
    if pattern is not None:
        return f"matches {pattern}"
    if info.st_size > rules.max_bytes:
        return f"larger than max_bytes ({rules.max_bytes})"
    if sniff:
        from offload.guard.rules import sniff as sniff_head

        with open(ws.root / path, "rb") as handle:
            return sniff_head(handle.read(SNIFF_BYTES))
    return None


def compare_recorded(ws: Workspace, entries: dict[str, Entry]) -> tuple[list[str], list[str]]:
    """(changed since recorded, never pulled): a file of the same size is hashed."""
    changed, missing = [], []
    for path, entry in sorted(entries.items()):
        target = ws.root / path
        try:
            info = os.lstat(target)
        except OSError:
            missing.append(path)
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size != entry.size:
            changed.append(path)
            continue
        with open(target, "rb") as handle:
            if hashlib.file_digest(handle, "sha256").hexdigest() != entry.sha256:
                changed.append(path)
    return changed, missing
