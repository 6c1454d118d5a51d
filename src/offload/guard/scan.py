"""Collect what a commit, a range or a tree adds, and inspect it with two cat-file streams.

An entry is ``(path, mode, oid, commit)`` with git's bytes; ``commit`` is None when staged.
"""

from __future__ import annotations

from offload.guard.fastconfig import Rules
from offload.guard.gitio import git
from offload.guard.rules import LFS_MAX, SNIFF_BYTES, first_match, is_lfs_pointer, sniff
from offload.guard.secrets import find_credentials

TYPE_CHECKING = False
if TYPE_CHECKING:
    Entry = tuple[bytes, bytes, bytes, bytes | None]

SKIPPED_MODES = (b"160000", b"120000")  # submodule commits and symlinks hold no content


class Finding:
    __slots__ = ("commit", "kind", "line", "oid", "path", "reason", "size")

    def __init__(self, path: str, kind: str, reason: str, size: int, oid: str,
                 commit: str | None = None, line: int | None = None) -> None:
        self.path, self.kind, self.reason, self.size = path, kind, reason, size
        self.oid, self.commit, self.line = oid, commit, line

    @property
    def is_artifact(self) -> bool:
        return self.kind != "credential"

    def to_json(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in
                ("path", "kind", "reason", "size", "oid", "commit", "line")}


def staged_entries(cwd: str | None = None) -> list[Entry]:
    _, out = git(["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev",
                  "--diff-filter=d", "--ignore-submodules=none"], cwd=cwd)
    fields = out.split(b"\0")
    return [(path, meta.split(b" ")[1], meta.split(b" ")[3], None)
            for meta, path in zip(fields[0:-1:2], fields[1::2], strict=True)]


def range_entries(revs: list[str], cwd: str | None = None) -> list[Entry]:
    """Every blob new in ``revs`` (``rev-list --objects``), with the first commit adding it."""
    _, listed = git(["rev-list", "--objects", "--no-object-names", *revs], cwd=cwd)
    new = set(listed.split())
    _, out = git(["log", "--topo-order", "--reverse", "--diff-merges=first-parent", "--raw",
                  "-z", "--no-renames", "--no-abbrev", "--diff-filter=d", "--format=%x01%H",
                  *revs, "--"], cwd=cwd)
    entries: list[Entry] = []
    seen: set[tuple[bytes, bytes]] = set()
    commit: bytes | None = None
    fields = iter(out.split(b"\0"))
    for field in fields:
        field = field.lstrip(b"\n")
        if field.startswith(b"\x01"):
            commit = field[1:]
        elif field.startswith(b":"):
            meta, path = field.split(b" "), next(fields)
            if meta[3] in new and (meta[3], path) not in seen:
                seen.add((meta[3], path))
                entries.append((path, meta[1], meta[3], commit))
    return entries


def tree_entries(rev: str = "HEAD", cwd: str | None = None) -> list[Entry]:
    _, out = git(["ls-tree", "-r", "-z", "--full-tree", rev], cwd=cwd)
    entries: list[Entry] = []
    for record in out.split(b"\0"):
        if record:
            meta, _, path = record.partition(b"\t")
            mode, _, oid = meta.split(b" ")
            entries.append((path, mode, oid, None))
    return entries


def inspect(entries: list[Entry], rules: Rules, cwd: str | None = None) -> list[Finding]:
    wanted = [e for e in entries if e[1] not in SKIPPED_MODES and e[2].strip(b"0")]
    if not wanted:
        return []
    sizes = _sizes({e[2] for e in wanted}, cwd)
    plan = []
    for path_bytes, _, oid, commit in wanted:
        if oid not in sizes:
            continue
        path = path_bytes.decode("utf-8", "surrogateescape")
        allowed = first_match(rules.allow, path) is not None
        pattern = None if allowed else first_match(rules.include, path, fold_case=True)
        size = sizes[oid]
        read = size <= rules.max_bytes and (pattern is None or size < LFS_MAX)
        plan.append((path, oid, commit, size, allowed, pattern, read))
    contents = _contents([p[1] for p in plan if p[6]], cwd)
    findings: list[Finding] = []
    for path, oid, commit, size, allowed, pattern, _ in plan:
        data = contents.get(oid)
        head = data[:SNIFF_BYTES] if data is not None else b""
        commit_id = commit.decode() if commit else None
        oid_text = oid.decode()
        reason = kind = None
        if allowed:
            pass
        elif data is not None and is_lfs_pointer(head, size):
            kind, reason = "lfs-pointer", "this is an LFS pointer; offload replaces LFS"
        elif pattern is not None:
            kind, reason = "include", f"matches {pattern}"
        elif size > rules.max_bytes:
            kind, reason = "size", f"larger than max_bytes ({rules.max_bytes} bytes)"
        else:
            binary = sniff(head)
            if binary:
                kind, reason = "binary", binary
        if kind and reason:
            findings.append(Finding(path, kind, reason, size, oid_text, commit_id))
        if data is not None and b"\0" not in head:
            for line, what in find_credentials(data):
                findings.append(Finding(path, "credential", f"looks like a credential ({what})",
                                        size, oid_text, commit_id, line))
    return findings


def _sizes(oids: set[bytes], cwd: str | None) -> dict[bytes, int]:
    request = b"".join(oid + b"\n" for oid in sorted(oids))
    _, out = git(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                 stdin=request, cwd=cwd)
    sizes: dict[bytes, int] = {}
    for line in out.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) == 3 and parts[1] == b"blob":
            sizes[parts[0]] = int(parts[2])
    return sizes


def _contents(oids: list[bytes], cwd: str | None) -> dict[bytes, bytes]:
    unique = sorted(set(oids))
    if not unique:
        return {}
    _, out = git(["cat-file", "--batch"], stdin=b"".join(o + b"\n" for o in unique), cwd=cwd)
    contents: dict[bytes, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split(b" ")
        pos = end + 1
        if len(header) != 3:
            continue
        size = int(header[2])
        contents[header[0]] = out[pos:pos + size]
        pos += size + 1
    return contents
