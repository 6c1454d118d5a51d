"""offload fix: offload the staged artifacts so that the same ``git commit`` passes.

The upload comes first and is the only step that talks to the store: when it fails, the
index, offload.lock and .gitignore are exactly as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from offload.git.ignore import ensure_ignored
from offload.git.run import run_git
from offload.guard.fastconfig import Rules
from offload.guard.references import rewrite_staged
from offload.guard.scan import Finding, inspect, staged_entries
from offload.manifest import Entry
from offload.ops.put import FileFacts, entry_for, upload_entries
from offload.store.base import sha256_file
from offload.workspace import Workspace

LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}


@dataclass
class FixResult:
    offloaded: list[Entry] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    credentials: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"offloaded": [e.to_json() for e in self.offloaded], "rewritten": self.rewritten,
                "unresolved": self.unresolved,
                "credentials": [f.to_json() for f in self.credentials]}

    def render(self) -> str:
        lines = [f"offloaded {e.path} -> {e.url or e.key}" for e in self.offloaded]
        lines += [f"rewrote references in {path}" for path in self.rewritten]
        lines += [f"unresolved reference (left as is): {ref}" for ref in self.unresolved]
        lines += [f"credential in {f.path}:{f.line}: remove it and rotate it; offload fix does "
                  "not touch secrets" for f in self.credentials]
        if not self.offloaded:
            lines.append("no staged artifacts to offload")
        elif not self.credentials:
            lines.append("staged offload.lock and .gitignore: run the same `git commit` again")
        return "\n".join(lines)


def fix_staged(ws: Workspace, jobs: int = 8) -> FixResult:
    cwd = str(ws.root)
    art = ws.config.artifacts
    rules = Rules(art.include, art.max_bytes, art.allow)
    entries = staged_entries(cwd)
    findings = inspect(entries, rules, cwd)
    result = FixResult(credentials=[f for f in findings if not f.is_artifact])
    artifacts = {f.path: f for f in findings if f.is_artifact}
    if not artifacts:
        return result
    scratch = ws.repo.offload_dir / "fix"
    try:
        items = [(facts, entry_for(ws, facts, "put"))
                 for facts in (_staged_facts(ws, f, scratch) for f in artifacts.values())]
        upload_entries(ws, items, jobs)
        for facts, _ in items:
            target = ws.root / facts.path
            if facts.absolute != target and not os.path.lexists(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(facts.absolute, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.offloaded = [entry for _, entry in items]
    ws.manifest.upsert(result.offloaded)
    paths = sorted(artifacts)
    run_git("rm", "--cached", "-q", "--ignore-unmatch", "--pathspec-from-file=-",
            "--pathspec-file-nul", cwd=ws.root, env=LITERAL, input=_nul(paths))
    ensure_ignored(ws.root, paths)
    urls = {e.path: e.url for e in result.offloaded if e.url}
    result.rewritten, result.unresolved = rewrite_staged(ws, entries, urls, set(artifacts))
    to_add = [ws.config.manifest_path.name, ".gitignore", *result.rewritten]
    run_git("add", "--pathspec-from-file=-", "--pathspec-file-nul", cwd=ws.root, env=LITERAL,
            input=_nul(to_add))
    return result


def _staged_facts(ws: Workspace, finding: Finding, scratch: Path) -> FileFacts:
    """The staged blob as a file: the work-tree copy when identical, else an exported copy."""
    target = ws.root / finding.path
    source = target
    if not (target.is_file() and not target.is_symlink()
            and _blob_id(target, len(finding.oid)) == finding.oid):
        scratch.mkdir(parents=True, exist_ok=True)
        source = scratch / finding.oid
        source.write_bytes(run_git("cat-file", "blob", finding.oid, cwd=ws.root).stdout)
    stat = source.stat()
    return FileFacts(finding.path, source, stat.st_size, stat.st_mtime_ns, sha256_file(source))


def _blob_id(path: Path, length: int) -> str:
    digest = hashlib.sha256() if length == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % path.stat().st_size)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _nul(paths: list[str]) -> bytes:
    return b"".join(os.fsencode(p) + b"\0" for p in paths)
