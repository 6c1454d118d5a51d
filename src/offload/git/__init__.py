"""Everything offload asks of git goes through :func:`run_git`.

Names are loaded on first use, so the hook path can import ``offload.git.pinned`` without
paying for subprocess and the error classes.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from offload.git.repo import RepoPaths, find_repo
    from offload.git.run import GitError, GitResult, run_git

__all__ = ["GitError", "GitResult", "RepoPaths", "find_repo", "run_git"]


def __getattr__(name: str) -> object:
    if name in ("RepoPaths", "find_repo"):
        from offload.git import repo

        return getattr(repo, name)
    if name in ("GitError", "GitResult", "run_git"):
        from offload.git import run

        return getattr(run, name)
    raise AttributeError(name)
