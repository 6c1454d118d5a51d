"""Repository state around the assets: offload.lock in git, migrations left unfinished."""

from __future__ import annotations

from offload.git.run import run_git
from offload.manifest import MANIFEST_NAME
from offload.ops.status import Migration
from offload.workspace import Workspace


def lock_state(ws: Workspace) -> str:
    """absent, untracked, staged (changes in the index only), modified (in the work tree), clean."""
    if not ws.config.manifest_path.exists():
        tracked = run_git("ls-files", "-z", "--", MANIFEST_NAME, cwd=ws.root).stdout
        return "modified" if tracked else "absent"  # tracked but deleted: a change to commit
    found = run_git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                    MANIFEST_NAME, cwd=ws.root).stdout
    code = found[:2].decode("ascii", "replace")
    if not code:
        return "clean"
    if code == "??":
        return "untracked"
    return "modified" if code[1] != " " else "staged"


def migrations_in_progress(ws: Workspace) -> list[Migration]:
    """Journals of ``migrate run`` / ``rebase-urls run`` (under the common git dir) that have
    not reached their ``finished`` phase."""
    from offload.migrate.journal import Journal

    folder = ws.repo.common_dir / "offload" / "migrate"
    found = []
    for path in sorted(folder.glob("*/journal.jsonl")) if folder.is_dir() else []:
        journal = Journal(path.parent)
        if journal.done("finished"):
            continue
        name = path.parent.name
        command = "rebase-urls" if name.endswith("rebase-urls") else "migrate"
        phase = next(reversed(journal.phases), "started") if journal.phases else "started"
        uploads = f", {len(journal.uploaded)} upload(s) done" if journal.uploaded else ""
        found.append(Migration(name, command, phase + uploads))
    return found
