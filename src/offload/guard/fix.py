"""offload fix: offload the staged artifacts so that the same ``git commit`` passes.

The staged blobs are exported from the index (never read from the work tree, so never through
a symlink) and uploaded first: that is the only step that talks to the store, and when it fails
nothing local has changed. A file with a credential is never uploaded. The local steps then
run from a journaled plan (:mod:`offload.guard.fixplan`) that the next run finishes if this
one is killed.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from offload.guard.fastconfig import Rules
from offload.guard.fixplan import FixPlan, apply_plan, fix_journal, pending_plan, start_plan
from offload.guard.references import Rewrites, staged_documents
from offload.guard.report import shown
from offload.guard.rules import first_match
from offload.guard.scan import Finding, inspect, staged_entries, symlinks
from offload.manifest import Entry
from offload.ops.put import FileFacts, entry_for, upload_entries
from offload.workspace import Workspace


@dataclass
class FixResult:
    offloaded: list[Entry] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    credentials: list[Finding] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # artifacts left staged, with the reason
    symlinks: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def blocked(self) -> bool:
        return bool(self.credentials or self.refused)

    def to_json(self) -> dict[str, object]:
        return {"offloaded": [e.to_json() for e in self.offloaded], "rewritten": self.rewritten,
                "unresolved": self.unresolved, "resumed": self.resumed,
                "credentials": [f.to_json() for f in self.credentials],
                "refused": self.refused, "symlinks": self.symlinks,
                "warnings": self.warnings()}

    def render(self) -> str:
        lines = ["finished the offload fix that was interrupted"] if self.resumed else []
        lines += [f"offloaded {shown(e.path)} -> {e.url or e.key}" for e in self.offloaded]
        lines += [f"rewrote references in {shown(path)}" for path in self.rewritten]
        lines += [f"unresolved reference (left as is): {ref}" for ref in self.unresolved]
        lines += [f"skipped symlink {shown(path)}: a link is not an artifact and offload never "
                  "reads through it" for path in self.symlinks]
        if not self.offloaded:
            lines.append("no staged artifacts to offload")
        else:
            lines.append("staged offload.lock and .gitignore: run the same `git commit` again")
        return "\n".join(lines)

    def warnings(self) -> list[str]:
        from offload.guard.localurls import local_url_warning

        local = local_url_warning(self.rewritten, (e.url for e in self.offloaded))
        return [local] if local else []

    def errors(self) -> list[str]:
        out = [f"error: {shown(f.path)}:{f.line} {f.reason}: not uploaded, still staged\n"
               "  next: remove the secret from the file (keep it in the environment or in an "
               "rclone.conf outside the repository), rotate it, then run offload fix again"
               for f in self.credentials]
        out += [f"error: {reason}" for reason in self.refused]
        return out


def fix_staged(ws: Workspace, jobs: int = 8) -> FixResult:
    result = FixResult()
    journal = fix_journal(ws)
    interrupted = pending_plan(journal)
    if interrupted is not None:
        result.resumed = True
        _record(result, interrupted, apply_plan(ws, interrupted, journal))
    cwd, art = str(ws.root), ws.config.artifacts
    entries = staged_entries(cwd)
    findings = inspect(entries, Rules(art.include, art.max_bytes, art.allow), cwd)
    result.credentials = [f for f in findings if not f.is_artifact]
    result.symlinks = [p for p in symlinks(entries) if first_match(art.include, p, True)]
    blocked = {f.path for f in result.credentials}
    artifacts: dict[str, Finding] = {}
    for finding in findings:
        if not finding.is_artifact or finding.path in blocked:
            continue
        if _utf8(finding.path):
            artifacts[finding.path] = finding
        else:
            result.refused.append(
                f"{shown(finding.path)}: the name is not UTF-8, which offload.lock cannot "
                "record; not uploaded, still staged\n  next: rename it (`git mv`), then run "
                "offload fix again")
    if not artifacts:
        return result
    plan = FixPlan(_upload(ws, artifacts, jobs), {p: f.oid for p, f in artifacts.items()},
                   staged_documents(ws, entries, set(artifacts)))
    start_plan(journal, plan)
    _record(result, plan, apply_plan(ws, plan, journal))
    return result


def _record(result: FixResult, plan: FixPlan, rewrites: Rewrites) -> None:
    result.offloaded += plan.entries
    result.rewritten += rewrites.rewritten
    result.unresolved += rewrites.unresolved


def _upload(ws: Workspace, artifacts: dict[str, Finding], jobs: int) -> list[Entry]:
    """Upload each staged blob; nothing local changes (the scratch copies go again)."""
    scratch = ws.repo.offload_dir / "fix" / "blobs"
    try:
        items = [(facts, entry_for(ws, facts, "put"))
                 for facts in _export_staged(ws, artifacts, scratch)]
        upload_entries(ws, items, jobs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [entry for _, entry in items]


def _export_staged(ws: Workspace, artifacts: dict[str, Finding], scratch: Path
                   ) -> list[FileFacts]:
    """Each staged blob as a file in ``scratch``, streamed from the index, hashed on the way."""
    from offload.migrate.gitwalk.blobstream import stream_blobs

    scratch.mkdir(parents=True, exist_ok=True)
    opened: dict[str, tuple[Any, BinaryIO]] = {}

    def sink(oid: str, size: int) -> Callable[[bytes], None]:
        digest, handle = hashlib.sha256(), open(scratch / oid, "wb")
        opened[oid] = (digest, handle)

        def write(chunk: bytes) -> None:
            digest.update(chunk)
            handle.write(chunk)
        return write

    try:
        stream_blobs(ws.root, sorted({f.oid for f in artifacts.values()}), sink)
    finally:
        for _, handle in opened.values():
            handle.close()
    facts = []
    for path, finding in sorted(artifacts.items()):
        source = scratch / finding.oid
        info = source.stat()
        facts.append(FileFacts(path, source, info.st_size, info.st_mtime_ns,
                               opened[finding.oid][0].hexdigest()))
    return facts


def _utf8(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

