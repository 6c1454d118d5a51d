"""Collect what a commit, a range or a tree adds, and inspect it with one cat-file stream.

An entry is ``(path, mode, oid, commit)`` with git's bytes; ``commit`` is None when staged.
"""

from __future__ import annotations

from offload.guard.blobs import BlobFacts, read_blobs
from offload.guard.fastconfig import Rules
from offload.guard.gitio import git
from offload.guard.rules import first_match

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
                  "--no-relative", "--diff-filter=d", "--ignore-submodules=none"], cwd=cwd)
    fields = out.split(b"\0")
    return [(path, meta.split(b" ")[1], meta.split(b" ")[3], None)
            for meta, path in zip(fields[0:-1:2], fields[1::2], strict=True)]


def range_entries(revs: list[str], cwd: str | None = None) -> list[Entry]:
    """Every blob new in ``revs`` (``rev-list --objects``), with the first commit adding it."""
    _, listed = git(["rev-list", "--objects", "--no-object-names", *revs], cwd=cwd)
    new = set(listed.split())
    _, out = git(["log", "--root", "--topo-order", "--reverse", "--diff-merges=first-parent",
                  "--raw", "-z", "--no-renames", "--no-abbrev", "--no-relative",
                  "--diff-filter=d", "--format=%x01%H",
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
    """Artifacts by name, size, LFS pointer or content, and credentials in every blob."""
    wanted = [e for e in entries if e[1] not in SKIPPED_MODES and e[2].strip(b"0")]
    blobs = read_blobs([e[2] for e in wanted], cwd)
    findings: list[Finding] = []
    for path_bytes, _, oid, commit in wanted:
        blob = blobs.get(oid)
        if blob is None:
            continue
        path = path_bytes.decode("utf-8", "surrogateescape")
        commit_id = commit.decode() if commit else None
        oid_text, size = oid.decode(), blob.size
        kind, reason = _artifact(path, blob, rules)
        if kind and reason:
            findings.append(Finding(path, kind, reason, size, oid_text, commit_id))
        if blob.credential:
            line, what = blob.credential
            findings.append(Finding(path, "credential", f"looks like a credential ({what})",
                                    size, oid_text, commit_id, line))
    return findings


def symlinks(entries: list[Entry]) -> list[str]:
    """Staged or committed symbolic links: never artifacts, never followed."""
    return [e[0].decode("utf-8", "surrogateescape") for e in entries if e[1] == b"120000"]


def _artifact(path: str, blob: BlobFacts, rules: Rules) -> tuple[str | None, str | None]:
    if first_match(rules.allow, path) is not None:
        return None, None
    if blob.lfs_pointer:
        return "lfs-pointer", "this is an LFS pointer; offload replaces LFS"
    pattern = first_match(rules.include, path, fold_case=True)
    if pattern is not None:
        return "include", f"matches {pattern}"
    if blob.size > rules.max_bytes:
        return "size", f"larger than max_bytes ({rules.max_bytes} bytes)"
    return ("binary", blob.binary) if blob.binary else (None, None)
