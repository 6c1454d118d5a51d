"""`offload rebase-urls run PLAN`: journaled, resumable, same commit ids for the same plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.errors import GitStateError
from offload.git.run import run_git
from offload.migrate.journal import Journal
from offload.migrate.safety import reflog_action
from offload.rebase.plan import read_rebase_plan
from offload.rebase.scan import Globs, scan_history, scan_pairs
from offload.rebase.text import Bases
from offload.workspace import Workspace


@reflog_action("rebase-urls run")  # its ref moves are told from the user's by the next run
def run_rebase(ws: Workspace, plan_path: Path, mode: str = "history",
               force: bool = False, copy_to: str | None = None) -> dict[str, Any]:
    from offload.migrate.run import journal_for
    from offload.migrate.safety import (
        refuse_dirty,
        refuse_not_fresh,
        refuse_shallow,
        refuse_unrewritable,
    )
    from offload.rebase.planfile import write_rebase_plan
    from offload.rebase.verify import verify_rebase

    data, bases, globs = read_rebase_plan(plan_path)
    name = str(data["name"])
    journal = journal_for(ws, name)
    if journal.done("finished"):
        return dict(data.get("result") or {})
    refuse_shallow(ws.root)
    original: dict[str, str] = dict(data["refs"]["original"])
    if not journal.started:
        refuse_dirty(ws.root)
        if mode == "history":
            refuse_unrewritable(ws.root, f"offload rebase-urls run {plan_path}")
        if mode == "history" and not force:
            refuse_not_fresh(ws.root)
        _refuse_moved_refs(ws, name, original)
        journal.mark_phase("started", {"mode": mode, "copy_to": copy_to})
    started = journal.phases["started"]  # a rerun finishes what the first run began
    mode, copy_to = str(started["mode"]), started.get("copy_to")
    copied = None
    if copy_to:
        from offload.rebase.copy import copy_objects

        copied = copy_objects(ws, str(copy_to), journal)
    if mode == "tip":
        result = _tip(ws, bases, globs, journal)
    else:
        result = _history(ws, name, bases, globs, original, journal)
    result["mode"] = mode
    result["untracked_config_updated"] = _update_untracked_config(ws, bases)
    if copied is not None:
        result["copied"] = copied
    result["verification"] = verify_rebase(ws, {**data, "result": result})
    data["result"] = result
    write_rebase_plan(plan_path, data)
    journal.mark_phase("finished")
    return result


def _history(ws: Workspace, name: str, bases: Bases, globs: Globs, original: dict[str, str],
             journal: Journal) -> dict[str, Any]:
    from offload.migrate.finish import back_up_and_reset
    from offload.migrate.refs import list_refs
    from offload.rebase.history import rewrite_history

    if journal.done("rewritten"):
        return dict(journal.phases["rewritten"])
    back_up_and_reset(ws, name, original, journal)
    scan = scan_history(ws.root, sorted(set(original.values())), bases, globs)
    commit_map = rewrite_history(ws, scan, globs, bases, sorted(original)) \
        if scan.rewritten else {}
    new_refs = list_refs(ws.root, *sorted(original))
    result = {"commits_rewritten": len(commit_map), "commit_map": commit_map,
              "refs": {r: {"old": original[r], "new": new_refs.get(r)} for r in original},
              "created_branches": journal.phases["backed_up"]["created"],
              "versions_rewritten": dict(sorted(scan.versions.items())),
              "left_alone": scan.leftover_rows(),
              "push_commands": ["git push --force --all origin", "git push --force --tags origin"]
              if commit_map else []}
    journal.mark_phase("rewritten", result)
    return result


def _tip(ws: Workspace, bases: Bases, globs: Globs, journal: Journal) -> dict[str, Any]:
    from offload.migrate.tip import current_branch, tree_as_changes

    if journal.done("tip"):
        return dict(journal.phases["tip"])
    ref = current_branch(ws.root, "rebase")
    if not journal.done("tip_base"):
        head = run_git("rev-parse", "HEAD", cwd=ws.root).text.strip()
        journal.mark_phase("tip_base", {"ref": ref, "old": head})
    old = str(journal.phases["tip_base"]["old"])
    run_git("reset", "-q", "--hard", old, cwd=ws.root)  # a rerun starts from the same commit
    tree = tree_as_changes(ws.root, old).changes
    pairs = {(c.path.decode("utf-8", "surrogateescape"), c.blob): old for c in tree
             if c.mode not in ("160000", "120000")}
    scan = scan_pairs(ws.root, pairs, bases, globs)
    from offload.migrate.gitwalk.blobreader import BlobReader

    with BlobReader(ws.root) as reader:
        for (path, blob) in sorted(pairs):
            if (globs.kind(path), blob) in scan.rewritten:
                (ws.root / path).write_bytes(globs.rebased(path, reader[blob], bases))
                run_git("add", "--", path, cwd=ws.root)
    from offload.migrate.journal import crashpoint

    crashpoint("rebase-tip")  # files staged, no commit yet: a rerun starts over from `old`
    date = run_git("log", "-1", "--format=%cI", old, cwd=ws.root).text.strip()
    run_git("commit", "-q", "--allow-empty", "-m",
            f"offload: rebase URLs from {bases.old} to {bases.new}", cwd=ws.root,
            env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    new_head = run_git("rev-parse", "HEAD", cwd=ws.root).text.strip()
    result = {"tip": {"ref": ref, "old": old, "new": new_head},
              "versions_rewritten": dict(sorted(scan.versions.items())),
              "left_alone": scan.leftover_rows(),
              "push_commands": [f"git push origin {ref.removeprefix('refs/heads/')}"]}
    journal.mark_phase("tip", result)
    return result


def _update_untracked_config(ws: Workspace, bases: Bases) -> str | None:
    """An offload.yaml git does not track is not in any commit: update it in place."""
    from offload.rebase.text import rebase_config

    source = ws.config.source
    if source is None or not source.is_file():
        return None
    tracked = run_git("ls-files", "--error-unmatch", "--", str(source), cwd=source.parent,
                      check=False).rc == 0
    if tracked:
        return None
    data = source.read_bytes()
    moved = rebase_config(data, bases)
    if moved == data:
        return None
    source.write_bytes(moved)
    return str(source)


def _refuse_moved_refs(ws: Workspace, name: str, original: dict[str, str]) -> None:
    from offload.migrate.refs import selected_refs

    now = selected_refs(ws.root, "all")
    moved = sorted(r for r in set(now) | set(original) if now.get(r) != original.get(r))
    if moved:
        raise GitStateError(f"refs changed since plan {name} was made: {', '.join(moved)}",
                            "make a new plan with `offload rebase-urls plan` and review it")
