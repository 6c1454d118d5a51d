"""The local half of ``offload fix``, journaled so that a killed run is finished by the next.

The plan (what was uploaded, each file's staged blob, the documents to rewrite) is written and
fsynced under the worktree's git dir before the first local change. Every step after it is
idempotent — record in offload.lock, restore a deleted work-tree copy, unstage, ignore, rewrite
references, stage — so replaying the plan from the start finishes a run killed anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from offload.git.ignore import ensure_ignored
from offload.git.run import run_git
from offload.guard.references import Document, Rewrites, rewrite_staged
from offload.guard.worktree import NewFile, open_new
from offload.manifest import Entry
from offload.migrate.journal import Journal, crashpoint
from offload.workspace import Workspace


@dataclass
class FixPlan:
    entries: list[Entry]
    oids: dict[str, str]  # repository path -> staged blob id
    documents: list[Document] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"entries": [e.to_json() for e in self.entries], "oids": self.oids,
                "documents": [list(d) for d in self.documents]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FixPlan:
        return cls([Entry.from_json(e) for e in data["entries"]], dict(data["oids"]),
                   [(str(p), str(m), str(o)) for p, m, o in data["documents"]])


def fix_journal(ws: Workspace) -> Journal:
    return Journal(ws.repo.offload_dir / "fix")


def pending_plan(journal: Journal) -> FixPlan | None:
    data = journal.phases.get("plan")
    return FixPlan.from_json(data) if isinstance(data, dict) else None


def start_plan(journal: Journal, plan: FixPlan) -> None:
    journal.mark_phase("plan", plan.to_json())
    crashpoint("fix-planned")


def apply_plan(ws: Workspace, plan: FixPlan, journal: Journal) -> Rewrites:
    """Every local step of the plan, in order; the journal goes when the last is done."""
    paths = sorted(plan.oids)
    restore_deleted(ws, plan.oids)
    ws.manifest.upsert(plan.entries)
    # --force: the staged blob is in the store now, even if the work-tree file changed since.
    run_git("rm", "--cached", "--force", "-q", "--ignore-unmatch", "--pathspec-from-file=-",
            "--pathspec-file-nul", cwd=ws.root, input=_nul(paths))
    crashpoint("fix-unstaged")
    ensure_ignored(ws.root, paths)
    urls = {e.path: e.url for e in plan.entries if e.url}
    rewrites = rewrite_staged(ws, plan.documents, urls)
    to_add = [ws.config.manifest_path.name, ".gitignore", *rewrites.to_add]
    # --force: offload.lock and .gitignore are staged even if a global excludes file names them.
    run_git("add", "--force", "--pathspec-from-file=-", "--pathspec-file-nul", cwd=ws.root,
            input=_nul(to_add))
    journal.path.unlink(missing_ok=True)
    return rewrites


def restore_deleted(ws: Workspace, oids: dict[str, str]) -> None:
    """A file staged and then deleted keeps a work-tree copy (ignored, not lost), streamed
    from its staged blob; nothing is written through a symlinked folder."""
    from offload.migrate.gitwalk.blobstream import stream_blobs

    wanted: dict[str, list[str]] = {}
    for path, oid in oids.items():
        if not os.path.lexists(ws.root / path):
            wanted.setdefault(oid, []).append(path)
    files: list[NewFile] = []

    def sink(oid: str, size: int) -> Callable[[bytes], object]:
        opened = [open_new(ws.root, path) for path in wanted.get(oid, [])]
        targets = [new for new in opened if new is not None]
        files.extend(targets)
        return lambda chunk: [new.handle.write(chunk) for new in targets]

    try:
        stream_blobs(ws.root, list(wanted), sink)
    except BaseException:
        for new in files:
            new.handle.close()
        raise
    for new in files:
        new.finish()


def _nul(paths: list[str]) -> bytes:
    return b"".join(os.fsencode(p) + b"\0" for p in paths)
