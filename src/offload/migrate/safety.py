"""Refusals that protect the user's repository before anything changes."""

from __future__ import annotations

from pathlib import Path

from offload.errors import GitStateError
from offload.git.run import run_git


def refuse_shallow(cwd: Path) -> None:
    if run_git("rev-parse", "--is-shallow-repository", cwd=cwd).text.strip() == "true":
        raise GitStateError(
            "this is a shallow clone: part of the history is missing, so it cannot be migrated",
            "run `git fetch --unshallow` (or clone without --depth), then retry",
        )


def refuse_dirty(cwd: Path) -> None:
    out = run_git("status", "--porcelain=v1", "-z", "--untracked-files=no",
                  "--ignore-submodules=none", cwd=cwd).stdout
    changed = [f[3:].decode("utf-8", "replace") for f in out.split(b"\0") if len(f) > 3]
    if changed:
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "")
        raise GitStateError(
            f"the work tree has uncommitted changes ({shown})",
            "commit or stash them (`git stash`), then retry",
        )


def not_fresh_reasons(cwd: Path) -> list[str]:
    """Why this repository does not look like a fresh clone (empty when it does)."""
    reasons: list[str] = []
    if run_git("rev-parse", "--verify", "-q", "refs/stash", cwd=cwd, check=False).rc == 0:
        reasons.append("it has stashed changes")
    moves = _reflog_after_clone(cwd)
    # stops at the first other move: a long-used clone costs two git calls, not two per entry
    if any(not _is_configuration_commit(cwd, sha, subject) for sha, subject in moves):
        reasons.append(f"HEAD has {len(moves) + 1} reflog entries (a fresh clone has one, plus "
                       "any commits of offload's own configuration)")
    remotes = run_git("remote", cwd=cwd).lines()
    if remotes and remotes != ["origin"]:
        reasons.append(f"it has remotes other than origin ({', '.join(remotes)})")
    if not remotes:
        reasons.append("it has no origin remote (work that exists only here)")
    return reasons


# What `offload init` writes and its next steps tell the user to commit.
CONFIGURATION_FILES = frozenset({"offload.yaml", ".gitignore"})


def _reflog_after_clone(cwd: Path) -> list[tuple[str, str]]:
    """(commit, reflog subject) of every HEAD move after the first (the clone), newest first."""
    out = run_git("reflog", "show", "--format=%H%x00%gs", "HEAD", "--", cwd=cwd, check=False)
    entries = [tuple(line.split("\0", 1)) for line in out.lines() if "\0" in line]
    return [(sha, subject) for sha, subject in entries[:-1]]


def _is_configuration_commit(cwd: Path, sha: str, subject: str) -> bool:
    """A plain commit (not an amend, reset or checkout) touching only offload's configuration."""
    if not subject.startswith("commit:"):
        return False
    parents = run_git("rev-list", "--parents", "-n", "1", sha, cwd=cwd).text.split()
    if len(parents) != 2:
        return False
    changed = run_git("diff-tree", "-r", "-z", "--no-renames", "--name-only", "--no-commit-id",
                      sha, cwd=cwd).stdout.split(b"\0")
    names = {n.decode("utf-8", "replace") for n in changed if n}
    return bool(names) and names <= CONFIGURATION_FILES


def refuse_not_fresh(cwd: Path) -> None:
    reasons = not_fresh_reasons(cwd)
    if reasons:
        raise GitStateError(
            "history mode rewrites every commit, and this does not look like a fresh clone: "
            + "; ".join(reasons),
            "run it in a fresh clone (`git clone --mirror` or `GIT_LFS_SKIP_SMUDGE=1 git clone "
            "URL`) so the original stays untouched, or pass --force if you have a backup",
        )
