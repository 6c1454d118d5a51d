"""`offload refs`: every reference offload finds in documents, and what it points at."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from offload.errors import UsageError
from offload.git.run import run_git
from offload.globs import first_match
from offload.manifest import MANIFEST_NAME, Entry, parse_manifest
from offload.workspace import Workspace

if TYPE_CHECKING:
    from offload.migrate.sites import SiteRoot

ASSET, IN_GIT, MISSING = "asset", "in git", "missing"


@dataclass(frozen=True)
class FoundReference:
    file: str
    line: int
    column: int
    kind: str
    target: str
    resolves_to: str | None
    status: str  # asset (in offload.lock) | in git | missing
    artifact: bool  # the resolved path looks like an artifact (artifacts.include)
    url: str | None  # what a migration or `fix` would write

    @property
    def broken(self) -> bool:
        return self.status == MISSING and self.artifact

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "broken": self.broken}


def list_references(ws: Workspace, paths: list[str], at: str | None) -> list[FoundReference]:
    from offload.migrate.references import find_references

    tracked = tree_at(ws.root, at or "HEAD")
    documents = paths or sorted(p for p in tracked if _is_document(ws, p))
    entries = _manifest(ws, at)
    roots = site_roots(ws, tracked)
    found: list[FoundReference] = []
    for doc in documents:
        data = _read(ws, doc, at, tracked)
        for ref in find_references(doc, data, lambda p: p in entries or p in tracked, roots):
            resolved = ref.resolved
            entry = entries.get(resolved) if resolved else None
            status = ASSET if entry else IN_GIT if resolved in tracked else MISSING
            artifact = resolved is not None and first_match(
                ws.config.artifacts.include, resolved, fold_case=True) is not None
            found.append(FoundReference(doc, ref.line, ref.column, ref.kind, ref.target,
                                        resolved, status, artifact, entry.url if entry else None))
    return found


def site_roots(ws: Workspace, tracked: dict[str, str]) -> tuple[SiteRoot, ...]:
    """offload.yaml's ``references.site_roots``, else the sites found in the listed tree."""
    if ws.config.references.site_roots is not None:
        return ws.config.references.site_roots
    from offload.migrate.sites.detect import detect_sites, tree_reader

    return tuple(detect_sites(tracked, tree_reader(ws.root, tracked)))


def _is_document(ws: Workspace, path: str) -> bool:
    return first_match(ws.config.references.rewrite, path) is not None


def tree_at(root: Path, rev: str) -> dict[str, str]:
    """path -> blob of every file at ``rev`` (symlinks and submodules left out)."""
    out = run_git("ls-tree", "-r", "-z", "--full-tree", rev, cwd=root, check=False)
    if out.rc != 0:
        if rev == "HEAD":
            return {}  # no commit yet
        raise UsageError(f"{rev} is not a revision of this repository",
                         "pass a branch, tag or commit to --at (see `git log`)")
    tree: dict[str, str] = {}
    for record in out.stdout.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, blob = meta.decode("ascii").split()
        if kind == "blob" and mode != "120000":
            tree[path.decode("utf-8", "surrogateescape")] = blob
    return tree


def _manifest(ws: Workspace, at: str | None) -> dict[str, Entry]:
    if at is None:
        return ws.manifest.read()
    shown = run_git("show", f"{at}:{MANIFEST_NAME}", cwd=ws.root, check=False)
    if shown.rc != 0:
        return {}
    return parse_manifest(shown.stdout.decode("utf-8", "replace"), f"{at}:{MANIFEST_NAME}")


def _read(ws: Workspace, doc: str, at: str | None, tracked: dict[str, str]) -> bytes:
    if at is not None:
        from offload.migrate.gitwalk.gitdata import read_blobs

        if doc not in tracked:
            raise UsageError(f"{doc} is not a file at {at}", "name a tracked document")
        return read_blobs(ws.root, [tracked[doc]]).get(tracked[doc], b"")
    from offload.guard.worktree import read_regular

    data = read_regular(ws.root, doc)
    if data is None:
        raise UsageError(f"{doc} is not a regular file of the work tree (missing, a symbolic "
                         "link, or under one: offload never reads through a link)",
                         "name a document of the repository, or pass --at REV")
    return data
