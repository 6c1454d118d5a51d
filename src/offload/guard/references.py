"""Rewrite references to freshly offloaded files in the staged ``references.rewrite`` files.

The staged blob and the work-tree file are rewritten separately, so unstaged edits stay
unstaged. Rewriting is idempotent: run again on the same staged blobs (a resumed ``fix``), it
gives the same index and work tree, because URLs are never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from offload.git.run import run_git
from offload.guard.rules import first_match
from offload.guard.worktree import read_regular, replace_regular
from offload.workspace import Workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from offload.guard.scan import Entry

Document = tuple[str, str, str]  # (path, mode, staged blob id)


@dataclass
class Rewrites:
    rewritten: list[str] = field(default_factory=list)
    to_add: list[str] = field(default_factory=list)  # rewritten in the work tree: `git add` them
    unresolved: list[str] = field(default_factory=list)


def staged_documents(ws: Workspace, entries: list[Entry], offloaded: set[str]) -> list[Document]:
    documents = []
    for raw_path, raw_mode, raw_oid, _ in entries:
        path = raw_path.decode("utf-8", "surrogateescape")
        if (path not in offloaded and raw_mode.startswith(b"100")
                and first_match(ws.config.references.rewrite, path)):
            documents.append((path, raw_mode.decode(), raw_oid.decode()))
    return documents


def rewrite_staged(ws: Workspace, documents: list[Document], urls: dict[str, str]) -> Rewrites:
    from offload.migrate.references import rewrite_document
    from offload.ops.refs import site_roots, tree_at

    include = ws.config.artifacts.include
    done = Rewrites()
    # sites (MkDocs docs_dir, docsify basePath, …) as `offload refs` sees them: from HEAD
    roots = site_roots(ws, tree_at(ws.root, "HEAD")) if documents else ()

    def looks_like_artifact(path: str) -> bool:
        return first_match(include, path, fold_case=True) is not None

    for path, mode, oid in documents:
        staged = run_git("cat-file", "blob", oid, cwd=ws.root).stdout
        result = rewrite_document(path, staged, urls.get, looks_like_artifact, roots)
        done.unresolved += [f"{path}:{ref.line}: {ref.target}" for ref in result.unresolved]
        if not result.rewritten:
            continue
        done.rewritten.append(path)
        current = read_regular(ws.root, path)
        if current == staged:
            replace_regular(ws.root, path, result.data)
            done.to_add.append(path)
            continue
        blob = run_git("hash-object", "-w", "--stdin", cwd=ws.root, input=result.data).text
        run_git("update-index", "--cacheinfo", f"{mode},{blob.strip()},{path}", cwd=ws.root)
        if current is not None:
            updated = rewrite_document(path, current, urls.get, looks_like_artifact, roots).data
            replace_regular(ws.root, path, updated)
    return done
