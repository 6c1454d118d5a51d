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
    out = run_git("reflog", "show", "--format=%H", "HEAD", "--", cwd=cwd, check=False)
    if len(out.lines()) > 1:
        reasons.append(f"HEAD has {len(out.lines())} reflog entries (a fresh clone has one)")
    remotes = run_git("remote", cwd=cwd).lines()
    if remotes and remotes != ["origin"]:
        reasons.append(f"it has remotes other than origin ({', '.join(remotes)})")
    if not remotes:
        reasons.append("it has no origin remote (work that exists only here)")
    return reasons


def refuse_not_fresh(cwd: Path) -> None:
    reasons = not_fresh_reasons(cwd)
    if reasons:
        raise GitStateError(
            "history mode rewrites every commit, and this does not look like a fresh clone: "
            + "; ".join(reasons),
            "run it in a fresh clone (`git clone --mirror` or `GIT_LFS_SKIP_SMUDGE=1 git clone "
            "URL`) so the original stays untouched, or pass --force if you have a backup",
        )
