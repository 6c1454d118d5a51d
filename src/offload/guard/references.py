"""Rewrite references to freshly offloaded files in the staged ``references.rewrite`` files.

The staged blob and the work-tree file are rewritten separately, so unstaged edits stay
unstaged; returns (files to ``git add``, unresolved references).
"""

from __future__ import annotations

from offload.git.run import run_git
from offload.guard.rules import first_match
from offload.workspace import Workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from offload.guard.scan import Entry


def rewrite_staged(ws: Workspace, entries: list[Entry], urls: dict[str, str],
                   offloaded: set[str]) -> tuple[list[str], list[str]]:
    from offload.migrate.references import rewrite_document

    include = ws.config.artifacts.include
    documents = []
    for raw_path, raw_mode, raw_oid, _ in entries:
        path = raw_path.decode("utf-8", "surrogateescape")
        if (path not in offloaded and raw_mode.startswith(b"100")
                and first_match(ws.config.references.rewrite, path)):
            documents.append((path, raw_mode.decode(), raw_oid.decode()))
    to_add: list[str] = []
    unresolved: list[str] = []

    def looks_like_artifact(path: str) -> bool:
        return first_match(include, path, fold_case=True) is not None

    for path, mode, oid in documents:
        staged = run_git("cat-file", "blob", oid, cwd=ws.root).stdout
        result = rewrite_document(path, staged, urls.get, looks_like_artifact)
        unresolved += [f"{path}:{ref.line}: {ref.target}" for ref in result.unresolved]
        if not result.rewritten:
            continue
        work = ws.root / path
        current = work.read_bytes() if work.is_file() and not work.is_symlink() else None
        if current == staged:
            work.write_bytes(result.data)
            to_add.append(path)
            continue
        blob = run_git("hash-object", "-w", "--stdin", cwd=ws.root, input=result.data).text
        run_git("update-index", "--cacheinfo", f"{mode},{blob.strip()},{path}", cwd=ws.root)
        if current is not None:
            work.write_bytes(rewrite_document(path, current, urls.get, looks_like_artifact).data)
    return to_add, unresolved
