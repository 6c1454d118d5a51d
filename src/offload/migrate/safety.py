"""Refusals that protect the user's repository before anything changes."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from offload.errors import GitStateError
from offload.git.run import run_git


def refuse_shallow(cwd: Path) -> None:
    if run_git("rev-parse", "--is-shallow-repository", cwd=cwd).text.strip() == "true":
        raise GitStateError(
            "this is a shallow clone: part of the history is missing, so it cannot be migrated",
            "run `git fetch --unshallow` (or clone without --depth), then retry",
        )


def refuse_unrewritable(cwd: Path, command: str) -> None:
    """History mode rewrites through git-filter-repo and offload's own pack writer, which read
    and write SHA-1 object ids only: a SHA-256 repository is refused before anything is sent."""
    answer = run_git("rev-parse", "--show-object-format", cwd=cwd, check=False)
    object_format = answer.text.strip()
    if answer.rc == 0 and object_format not in ("", "sha1"):
        raise GitStateError(
            f"this repository names its objects with {object_format}, and history mode can "
            "rewrite SHA-1 repositories only (git-filter-repo reads SHA-1 ids)",
            f"run `{command} --mode tip`: one new commit changes the current files; earlier "
            "commits stay as they are",
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
    if any(_is_foreign(cwd, moves, index) for index in range(len(moves))):
        reasons.append(f"HEAD has {len(moves) + 1} reflog entries (a fresh clone has one, plus "
                       "any commits of offload's own configuration and offload's own runs and "
                       "rollbacks)")
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


def _is_foreign(cwd: Path, moves: list[tuple[str, str]], index: int) -> bool:
    """A HEAD move neither offload's own nor a commit of offload's configuration."""
    sha, subject = moves[index]
    if is_offload_entry(subject):
        return False
    if subject == "fast-import":  # git-filter-repo's, when its reset right after is offload's
        return index == 0 or not is_offload_entry(moves[index - 1][1])
    return not _is_configuration_commit(cwd, sha, subject)


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


# Reflog entries offload's own ref moves write start with this: git's porcelain and
# git-filter-repo's reset take it from GIT_REFLOG_ACTION, offload's update-ref from -m.
REFLOG_PREFIX = "offload"


def is_offload_entry(subject: str) -> bool:
    return subject.startswith((f"{REFLOG_PREFIX} ", f"{REFLOG_PREFIX}:"))


@contextlib.contextmanager
def reflog_action(command: str) -> Iterator[None]:
    """Git commands run meanwhile, offload's and git-filter-repo's, sign their reflog entries
    ``offload <command>: …``: a later run can tell them from the user's own moves."""
    saved = os.environ.get("GIT_REFLOG_ACTION")
    os.environ["GIT_REFLOG_ACTION"] = f"{REFLOG_PREFIX} {command}"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("GIT_REFLOG_ACTION", None)
        else:
            os.environ["GIT_REFLOG_ACTION"] = saved


def reflog_message(what: str) -> str:
    """The ``update-ref -m`` message of one of offload's own ref updates."""
    action = os.environ.get("GIT_REFLOG_ACTION", "")
    return f"{action if is_offload_entry(action) else REFLOG_PREFIX}: {what}"


def refuse_not_fresh(cwd: Path) -> None:
    reasons = not_fresh_reasons(cwd)
    if reasons:
        raise GitStateError(
            "history mode rewrites every commit, and this does not look like a fresh clone: "
            + "; ".join(reasons),
            "run it in a fresh clone (`git clone --mirror` or `GIT_LFS_SKIP_SMUDGE=1 git clone "
            "URL`) so the original stays untouched, or pass --force if you have a backup",
        )
