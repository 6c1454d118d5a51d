"""Locating the repository, its worktree and its common git dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offload.errors import GitStateError
from offload.git.run import run_git


@dataclass(frozen=True)
class RepoPaths:
    toplevel: Path
    git_dir: Path
    common_dir: Path

    @property
    def main_worktree(self) -> Path:
        """The main worktree's root (where an untracked offload.yaml usually lives)."""
        if self.common_dir.name == ".git":
            return self.common_dir.parent
        return self.toplevel

    @property
    def offload_dir(self) -> Path:
        """Per-worktree private state (queues, journals, locks)."""
        return self.git_dir / "offload"

    @property
    def shared_dir(self) -> Path:
        """State shared by every worktree (the embedded local store)."""
        return self.common_dir / "offload"


def find_repo(start: Path | str | None = None) -> RepoPaths:
    """Find the repository containing ``start`` with one ``git rev-parse`` call."""
    cwd = Path(start) if start is not None else Path.cwd()
    result = run_git(
        "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir",
        "--git-common-dir", cwd=cwd, check=False,
    )
    lines = result.lines()
    if result.rc != 0 or len(lines) != 3:
        raise GitStateError(
            f"{cwd} is not inside a git work tree",
            "run offload from inside your repository, or `git init` one first",
        )
    top, git_dir, common = (Path(line) for line in lines)
    return RepoPaths(toplevel=top, git_dir=git_dir, common_dir=common)
