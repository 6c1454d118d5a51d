"""Tip mode: no history rewrite; one new commit on the current branch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.errors import GitStateError
from offload.git.run import run_git
from offload.migrate.gitwalk.gitdata import Change, CommitChanges
from offload.migrate.history.gitattributes import clean_gitattributes
from offload.migrate.inventory import Asset, Inventory
from offload.migrate.journal import Journal
from offload.migrate.recipe import Rules
from offload.workspace import Workspace


def tree_as_changes(cwd: Path, rev: str) -> CommitChanges:
    """The whole tree of ``rev`` as if every file were added (for tip-only checks)."""
    out = run_git("ls-tree", "-r", "-z", "--full-tree", rev, cwd=cwd).stdout
    changes = []
    for entry in out.split(b"\0"):
        if entry:
            meta, _, path = entry.partition(b"\t")
            mode, _kind, blob = meta.decode("ascii").split()
            changes.append(Change(path, mode, blob))
    return CommitChanges(run_git("rev-parse", rev, cwd=cwd).text.strip(), [], changes)


def current_branch(root: Path, verb: str) -> str:
    """The branch tip mode adds its commit to; a detached HEAD is refused."""
    ref = run_git("symbolic-ref", "-q", "HEAD", cwd=root, check=False).text.strip()
    if not ref:
        raise GitStateError("HEAD is detached; tip mode adds a commit to the current branch",
                            f"check out the branch to {verb} (`git switch main`), then retry")
    return ref


def run_tip(ws: Workspace, rules: Rules, inv: Inventory, assets: dict[str, Asset],
            versions: list[Any], journal: Journal) -> dict[str, Any]:
    from offload.git.ignore import ensure_ignored
    from offload.migrate.gitwalk.gitdata import read_blobs
    from offload.migrate.history.locktext import LockBuilder
    from offload.migrate.recipe import key_for
    from offload.migrate.references.docs import DocRewriter

    if journal.done("tip"):
        return dict(journal.phases["tip"])
    ref = current_branch(ws.root, "migrate")
    old = run_git("rev-parse", "HEAD", cwd=ws.root).text.strip()
    tree = tree_as_changes(ws.root, old).changes
    present = {c.path.decode("utf-8", "surrogateescape"): c.blob for c in tree
               if c.blob in assets}
    docs = {c.path.decode("utf-8", "surrogateescape"): c.blob for c in tree
            if rules.is_doc(c.path.decode("utf-8", "surrogateescape"))}
    attrs = [c.path.decode("utf-8", "surrogateescape") for c in tree
             if c.path.rsplit(b"/", 1)[-1] == b".gitattributes"]
    lock = next((c.blob for c in tree if c.path == b"offload.lock"), None)
    texts = read_blobs(ws.root, [*docs.values(), *(c.blob for c in tree
                                                   if c.path.decode("utf-8", "replace") in attrs),
                                 *([lock] if lock else [])])
    if present:
        run_git("rm", "-q", "--cached", "--", *present, cwd=ws.root)
        ensure_ignored(ws.root, sorted(present))
        run_git("add", "--", ".gitignore", cwd=ws.root)
    for change in tree:
        path = change.path.decode("utf-8", "surrogateescape")
        if path in attrs:
            cleaned = clean_gitattributes(texts[change.blob])
            _write(ws, path, cleaned)

    def url_of(path: str, blob: str) -> str:
        a = assets[blob]
        return ws.require_url(key_for(rules, path, a.sha256, a.size))

    rewriter = DocRewriter.for_migration(url_of, rules, present)
    unresolved: list[dict[str, Any]] = []
    for path, blob in sorted(docs.items()):
        result = rewriter.rewrite(path, blob, texts[blob], present)
        unresolved += [{"file": path, "line": r.line, "target": r.target,
                        "resolves_to": r.resolved} for r in result.unresolved]
        if result.rewritten:
            _write(ws, path, result.data)
    lock_text = LockBuilder(ws, rules, assets)(present, texts.get(lock) if lock else None)
    if lock_text is not None:
        _write(ws, "offload.lock", lock_text)
    run_git("commit", "-q", "--allow-empty", "-m",
            f"offload: move {len(present)} asset(s) to the store", cwd=ws.root)
    new = run_git("rev-parse", "HEAD", cwd=ws.root).text.strip()
    result_data = {"tip": {"ref": ref, "old": old, "new": new}, "assets_untracked": len(present),
                   "unresolved_references": unresolved,
                   "push_commands": [f"git push origin {ref.removeprefix('refs/heads/')}"]}
    journal.mark_phase("tip", result_data)
    return result_data


def _write(ws: Workspace, path: str, data: bytes | None) -> None:
    target = ws.root / path
    if data is None:
        run_git("rm", "-q", "--", path, cwd=ws.root)
        return
    target.write_bytes(data)
    run_git("add", "--", path, cwd=ws.root)
