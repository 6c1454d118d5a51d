"""What ``pull`` adds to .gitignore: one line per folder of assets, not one per file.

A folder is ignored as a whole only when git tracks nothing under it and every file already in
it is a manifest asset, so no other file (a script, a note) becomes silently ignored. Other
assets get their own anchored line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from offload.git.run import run_git


def ignore_targets(root: Path, pulled: Iterable[str], recorded: set[str]) -> dict[str, str]:
    """For each of ``pulled``, what to ignore: ``dir/`` for a whole folder, else the path."""
    tracked = run_git("ls-files", "-z", cwd=root).stdout.decode("utf-8", "surrogateescape")
    busy = {folder for path in tracked.split("\0") if path for folder in _parents(path)}
    verdicts: dict[str, bool] = {}

    def whole(folder: str) -> bool:
        if folder not in verdicts:
            verdicts[folder] = folder not in busy and _only_assets(root, folder, recorded)
        return verdicts[folder]

    targets: dict[str, str] = {}
    for path in pulled:
        folder = next((f for f in _parents(path) if whole(f)), None)
        targets[path] = path if folder is None else folder + "/"
    return targets


def _parents(path: str) -> list[str]:
    """``a/b/c.png`` → ``["a", "a/b"]``: its folders, shallowest first."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def _only_assets(root: Path, folder: str, recorded: set[str]) -> bool:
    """Everything on disk under ``folder`` is a recorded asset (or the folder is not there)."""
    top = root / folder
    if top.is_symlink() or (top.exists() and not top.is_dir()):
        return False
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = Path(dirpath, name).relative_to(root).as_posix()
            if rel not in recorded:
                return False
    return True
