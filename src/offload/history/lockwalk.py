"""One ``git log -p`` over offload.lock: the manifest lines each commit introduced.

A line counts as introduced by a commit when none of the commit's parents had it: for an
ordinary commit that is a ``+`` line of its diff; for a merge, a line marked ``+`` against
every parent in the combined diff (a version created while resolving the merge). Lines a
merge takes unchanged from one side were introduced by that side's own commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from offload.errors import ConfigError
from offload.git.run import run_git
from offload.manifest import Entry, parse_manifest

COMMIT_MARK = "\0"
# User settings that would change what `git log -- offload.lock` prints.
QUIET_LOG = ("-c", "log.showSignature=false", "-c", "log.follow=false")
# --date-order: newest first, and a commit never after one of its parents.
LOG_FORMAT = "--format=%x00%H%x00%P%x00%aI%x00%an <%ae>%x00%s"
# Every ref and HEAD, except pre-migration copies (refs/offload/backup/*) and stashes.
HISTORY_REFS = ("--exclude=refs/offload/*", "--exclude=refs/stash", "--all")


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    date: str
    author: str
    subject: str


@dataclass(frozen=True)
class Introduced:
    commit: Commit
    entry: Entry


@dataclass
class WalkResult:
    introduced: list[Introduced]
    unreadable_lines: int = 0


def walk_lock_changes(root: Path, lock_path: str = "offload.lock",
                      wanted: str | None = None) -> WalkResult:
    """Every manifest entry (only ``wanted``'s, when given) each commit introduced."""
    out = run_git(
        *QUIET_LOG, "log", *HISTORY_REFS, "--full-history",
        "--date-order", "-c", "-p", "-U0", "--no-renames", "--no-color", "--no-ext-diff",
        "--no-textconv", LOG_FORMAT, "--", lock_path, cwd=root,
    ).stdout.decode("utf-8", "surrogateescape")
    result = WalkResult(introduced=[])
    for commit, lines in _commits(out):
        marks = "+" * max(1, len(commit.parents))
        for line in lines:
            if not line.startswith(marks) or not line[len(marks):].startswith("{"):
                continue
            body = line[len(marks):]
            if wanted is not None and not _may_name(body, wanted):
                continue
            try:
                entries = parse_manifest(body, f"{lock_path} at {commit.sha[:12]}")
            except ConfigError:
                result.unreadable_lines += 1
                continue
            for entry in entries.values():
                if wanted is None or entry.path == wanted:
                    result.introduced.append(Introduced(commit, entry))
    return result


def _may_name(line: str, path: str) -> bool:
    """Cheap filter before JSON parsing; a line that escapes the path is parsed anyway."""
    return path in line or "\\" in line


def _commits(out: str) -> Iterator[tuple[Commit, list[str]]]:
    chunks = out.split(COMMIT_MARK)
    # A record is: "" (start) | sha | parents | date | author | subject\n<diff lines>
    index = 1
    while index + 4 < len(chunks):
        sha, parents, date, author = chunks[index:index + 4]
        subject, _, diff = chunks[index + 4].partition("\n")
        commit = Commit(sha=sha, parents=tuple(parents.split()), date=date, author=author,
                        subject=subject)
        yield commit, diff.splitlines()
        index += 5
