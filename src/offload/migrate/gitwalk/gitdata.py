"""Reading history in bulk: one ``git log --raw`` walk and ``git cat-file`` batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from offload.git.run import run_git

ZERO = "0" * 40
GITLINK = "160000"
SYMLINK = "120000"


@dataclass
class Change:
    path: bytes
    mode: str  # new mode ("000000" when deleted)
    blob: str  # new blob id (ZERO when deleted)

    @property
    def deleted(self) -> bool:
        return self.mode == "000000"


@dataclass
class CommitChanges:
    commit: str
    parents: list[str]
    changes: list[Change] = field(default_factory=list)


def walk_history(cwd: Path, revs: list[str]) -> Iterator[CommitChanges]:
    """Every commit of ``revs`` (parents first) with its changes against its first parent.

    A path seen in any commit's tree appears here in the commit that introduced it (merges
    are diffed against their first parent), which ``rev-list --objects`` cannot tell: it names
    each blob at one path only.
    """
    if not revs:
        return
    out = run_git("log", "--raw", "-z", "--no-renames", "--root", "--diff-merges=first-parent",
                  "--no-abbrev", "--topo-order", "--reverse", "--format=%x01%H %P", *revs,
                  "--", cwd=cwd).stdout
    tokens = out.split(b"\0")
    current: CommitChanges | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x01"):
            if current is not None:
                yield current
            ids = token[1:].decode("ascii").split()
            current = CommitChanges(ids[0], ids[1:])
        elif token.startswith(b":") and current is not None:
            meta = token[1:].decode("ascii").split()
            path = tokens[i]
            i += 1
            current.changes.append(Change(path, meta[1], meta[3]))
    if current is not None:
        yield current


def batch_check(cwd: Path, oids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Type and size of each object, one ``cat-file --batch-check`` process."""
    unique = sorted(set(oids))
    if not unique:
        return {}
    out = run_git("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                  cwd=cwd, input="".join(o + "\n" for o in unique).encode()).stdout
    found: dict[str, tuple[str, int]] = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3:
            found[parts[0]] = (parts[1], int(parts[2]))
    return found


def read_blobs(cwd: Path, oids: Iterable[str]) -> dict[str, bytes]:
    """Contents of small blobs, one ``cat-file --batch`` process, read in the order given:
    successive versions of a file are deltas of one another in a pack, so git rebuilds each
    from the one before instead of from its chain's base (ten times faster on long chains)."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    out = run_git("cat-file", "--batch", cwd=cwd,
                  input="".join(o + "\n" for o in unique).encode()).stdout
    found: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii", "replace").split()
        pos = end + 1
        if len(header) < 3:
            continue
        size = int(header[2])
        found[header[0]] = out[pos:pos + size]
        pos += size + 1
    return found
