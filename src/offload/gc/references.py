"""The full reference set: every key any offload.lock names, read before the store is listed.

Sources: every blob offload.lock had in any commit reachable from any ref or reflog entry
(branches, tags, remote-tracking refs, refs/offload/backup/*, stashes, every worktree's HEAD),
found by one ``git log --raw`` and read by one ``git cat-file --batch``; plus the index and the
work-tree file of every worktree (uploads not committed yet). Anything unreadable stops gc.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from offload.errors import ConfigError, GitStateError
from offload.git.run import run_git
from offload.manifest import Entry, parse_manifest

EMPTY_BLOB_IDS = frozenset({"0" * 40, "0" * 64})
REGULAR_MODES = frozenset({"100644", "100755"})


class ReferencesUnreadable(GitStateError):
    """gc could not read every reference, so it cannot know what is garbage."""

    def __init__(self, detail: str, next_step: str) -> None:
        super().__init__(f"gc refused: {detail}; nothing was deleted", next_step)


@dataclass
class References:
    keys: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    commits: int = 0
    lock_versions: int = 0
    worktree_locks: int = 0

    def add_text(self, text: str, where: str) -> None:
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                entries = parse_manifest(line, where)
            except ConfigError as exc:
                if line.lstrip().startswith(("<<<<<<<", "=======", ">>>>>>>", "|||||||")):
                    continue  # conflict markers of an unfinished merge; both sides are lines
                raise ReferencesUnreadable(
                    f"{where} has a line offload cannot parse ({exc.message})",
                    "fix that offload.lock line (or commit a fixed one), then rerun gc",
                ) from exc
            for entry in entries.values():
                self.keys.add(entry.key)
                self.paths.add(entry.path)


def read_references(root: Path, lock: str = "offload.lock") -> References:
    refs = References()
    _refuse_shallow(root)
    blobs = _lock_blobs(root, lock, refs)
    lines = _unique_lines(root, blobs)
    refs.lock_versions = len(blobs)
    refs.add_text("\n".join(sorted(lines)), f"{lock} in history")
    for worktree in _worktrees(root):
        for where, text in _worktree_locks(worktree, lock):
            refs.add_text(text, where)
            refs.worktree_locks += 1
    return refs


def history_entries(root: Path, lock: str = "offload.lock") -> list[Entry]:
    """Every distinct entry of every offload.lock version reachable from any ref."""
    refs = References()
    _refuse_shallow(root)
    entries: list[Entry] = []
    for line in sorted(_unique_lines(root, _lock_blobs(root, lock, refs))):
        if line.strip() and not line.lstrip().startswith(("<<<<<<<", "=======", ">>>>>>>")):
            entries.extend(parse_manifest(line, lock).values())
    return entries


def worktree_keys(root: Path, lock: str = "offload.lock") -> set[str]:
    """Keys the worktrees' index and files name now (cheap: no history walk)."""
    refs = References()
    for worktree in _worktrees(root):
        for where, text in _worktree_locks(worktree, lock):
            refs.add_text(text, where)
    return refs.keys


def _refuse_shallow(root: Path) -> None:
    shallow = run_git("rev-parse", "--is-shallow-repository", cwd=root).text.strip()
    if shallow == "true":
        raise ReferencesUnreadable(
            "this is a shallow clone: older commits (and the objects they reference) are "
            "not here to read",
            "run gc in a full clone, or `git fetch --unshallow` first",
        )


def _lock_blobs(root: Path, lock: str, refs: References) -> list[str]:
    from offload.history.lockwalk import QUIET_LOG

    result = run_git(
        *QUIET_LOG, "log", "--all", "--reflog", "--full-history", "-m", "--raw", "--no-abbrev",
        "--no-renames", "--format=%x00%H", "--", lock, cwd=root, check=False,
    )
    problems = [line for line in result.stderr.decode("utf-8", "replace").splitlines()
                if line.strip()]
    if result.rc != 0 or problems:
        shown = "; ".join(problems[:5]) or f"git log exited with {result.rc}"
        raise ReferencesUnreadable(
            f"could not read every ref and its history ({shown})",
            "repair or delete the broken ref(s) named above (`git for-each-ref`, "
            "`git fsck`), then rerun gc",
        )
    blobs: set[str] = set()
    commits: set[str] = set()
    for line in result.text.splitlines():
        if line.startswith("\0"):
            commits.add(line[1:])
        elif line.startswith(":"):
            fields = line[1:].split("\t", 1)[0].split()
            modes, ids = fields[: len(fields) // 2], fields[len(fields) // 2: -1]
            blobs.update(blob for mode, blob in zip(modes, ids, strict=False)
                         if mode in REGULAR_MODES and blob not in EMPTY_BLOB_IDS)
    refs.commits = len(commits)
    return sorted(blobs)


def _unique_lines(root: Path, blobs: list[str]) -> set[str]:
    """The distinct lines of every blob: versions share most lines, so each is parsed once."""
    from offload.migrate.gitwalk.blobstream import stream_blobs

    lines: set[str] = set()
    read: set[str] = set()
    current: list[bytes] = []

    def sink(oid: str, size: int) -> Callable[[bytes], object]:
        current.clear()
        return current.append

    def done(oid: str) -> None:
        lines.update(b"".join(current).decode("utf-8", "replace").splitlines())
        read.add(oid)

    stream_blobs(root, blobs, sink, done)
    missing = [blob for blob in blobs if blob not in read]
    if missing:
        raise ReferencesUnreadable(
            f"{len(missing)} offload.lock blob(s) named by history are missing from this clone "
            f"(first: {missing[0][:12]})",
            "run gc in a complete clone (not a partial or damaged one); `git fsck` shows what "
            "is missing",
        )
    return lines


def _worktrees(root: Path) -> list[Path]:
    fields = run_git("worktree", "list", "--porcelain", "-z", cwd=root).z_fields()
    found = [Path(f[len(b"worktree "):].decode("utf-8", "surrogateescape"))
             for f in fields if f.startswith(b"worktree ")]
    bare = b"bare" in fields
    return [w for w in found if not (bare and w == found[0])] if found else [root]


def _worktree_locks(worktree: Path, lock: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not worktree.is_dir():
        return found  # a worktree whose folder is gone: only its HEAD (in the walk) remains
    staged = run_git("cat-file", "blob", f":{lock}", cwd=worktree, check=False)
    if staged.rc == 0:
        found.append((f"{worktree}: staged {lock}", staged.text))
    try:
        found.append((f"{worktree / lock}", (worktree / lock).read_text(encoding="utf-8")))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferencesUnreadable(f"cannot read {worktree / lock} ({exc})",
                                   "fix the file's permissions or content, then rerun gc") \
            from exc
    return found
