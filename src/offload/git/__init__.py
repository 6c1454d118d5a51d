"""Everything offload asks of git goes through :func:`run_git`."""

from offload.git.repo import RepoPaths, find_repo
from offload.git.run import GitError, GitResult, run_git

__all__ = ["GitError", "GitResult", "RepoPaths", "find_repo", "run_git"]
