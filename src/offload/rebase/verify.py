"""`offload rebase-urls verify PLAN`: no rewritable file of the covered refs (as they are now)
still names the old base."""

from __future__ import annotations

from typing import Any

from offload.rebase.plan import read_rebase_plan
from offload.rebase.scan import Globs, scan_history, scan_pairs
from offload.rebase.text import Bases
from offload.workspace import Workspace


def verify_rebase(ws: Workspace, data: dict[str, Any]) -> dict[str, Any]:
    from offload.git.run import run_git
    from offload.migrate.refs import list_refs
    from offload.migrate.tip import tree_as_changes

    bases = Bases.parse(str(data["rebase"]["from"]), str(data["rebase"]["to"]))
    refs = data["recipe"]["references"]
    globs = Globs(tuple(refs["rewrite"]), tuple(refs["report"]))
    result = data.get("result") or {}
    if "tip" in result:
        head = run_git("rev-parse", result["tip"]["ref"], cwd=ws.root).text.strip()
        pairs = {(c.path.decode("utf-8", "surrogateescape"), c.blob): head
                 for c in tree_as_changes(ws.root, head).changes
                 if c.mode not in ("160000", "120000")}
        scan = scan_pairs(ws.root, pairs, bases, globs)
    else:
        now = list_refs(ws.root, *sorted(data["refs"]["original"]))
        scan = scan_history(ws.root, sorted(set(now.values())), bases, globs)
    behind = [{"file": path, "commit": commit, "kind": kind}
              for (kind, _blob), (path, commit) in sorted(scan.where.items(),
                                                          key=lambda item: item[1])]
    return {"ok": not behind, "left_behind": behind, "left_alone": len(scan.left)}


def verify_plan_file(ws: Workspace, path: Any) -> dict[str, Any]:
    data, _bases, _globs = read_rebase_plan(path)
    return verify_rebase(ws, data)
