"""Adding paths to the repository's .gitignore, once each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

_SPECIAL = set("*?[\\")


def ignore_pattern(repo_path: str) -> str:
    """An anchored .gitignore line that matches exactly ``repo_path``."""
    escaped = "".join("\\" + ch if ch in _SPECIAL else ch for ch in repo_path)
    if escaped.startswith(("#", "!")):
        escaped = "\\" + escaped
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return "/" + escaped


def ensure_ignored(root: Path, repo_paths: Iterable[str]) -> list[str]:
    """Append anchored lines for ``repo_paths`` to ``root/.gitignore``; return the lines added."""
    gitignore = root / ".gitignore"
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    present = set(existing.splitlines())
    added: list[str] = []
    for path in repo_paths:
        line = ignore_pattern(path)
        if line not in present:
            present.add(line)
            added.append(line)
    if added:
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        with open(gitignore, "a", encoding="utf-8") as handle:
            handle.write(prefix + "".join(line + "\n" for line in added))
    return added
