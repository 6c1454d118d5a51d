"""Checks of this machine and clone: hooks (every worktree), watch daemon, inotify limits."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from offload.errors import OffloadError
from offload.git.repo import RepoPaths
from offload.ops.doctor import Check
from offload.workspace import Workspace

INSTALL = "run `offload hook install` (it covers every worktree of this repository)"
PYTHON_LINE = re.compile(r"^OFFLOAD_PYTHON_DEFAULT='(?P<path>[^']*)'", re.MULTILINE)
MIN_WATCHES = 8192


def check_hooks(repo: RepoPaths) -> Check:
    from offload.guard.install import hooks_dir, is_ours

    name = "hooks"
    worktrees = _worktrees(repo)
    problems: list[str] = []
    fix = INSTALL
    for root in worktrees:
        try:
            folder = hooks_dir(_repo_of(root, repo))
        except OffloadError as exc:
            problems.append(f"{root}: {exc.message}")
            fix = exc.next_step
            continue
        hook = folder / "pre-commit"
        if not is_ours(hook):
            problems.append(f"{root}: no offload pre-commit hook in {folder}")
        elif not _python_exists(hook):
            problems.append(f"{root}: the hook's Python is gone (offload was reinstalled?)")
    if problems:
        return Check(name, "warn", "; ".join(problems), fix)
    return Check(name, "ok", f"pre-commit installed for {len(worktrees)} worktree(s)")


def _worktrees(repo: RepoPaths) -> list[Path]:
    from offload.git.run import run_git

    listed = run_git("worktree", "list", "--porcelain", "-z", cwd=repo.toplevel, check=False)
    found = []
    for record in listed.text.split("\0\0"):
        fields = record.strip("\0").split("\0")
        if fields[0].startswith("worktree ") and "bare" not in fields:
            root = Path(fields[0][len("worktree "):])
            if root.is_dir():
                found.append(root)
    return found or [repo.toplevel]


def _repo_of(root: Path, current: RepoPaths) -> RepoPaths:
    from offload.git.repo import find_repo

    return current if root == current.toplevel else find_repo(root)


def _python_exists(hook: Path) -> bool:
    match = PYTHON_LINE.search(hook.read_text(encoding="utf-8", errors="replace"))
    return match is None or Path(match["path"].replace("'\\''", "'")).exists()


def check_watch(ws: Workspace) -> Check:
    from offload.watch.status import collect_status

    name = "watch daemon"
    try:
        info = collect_status(ws)
    except OffloadError as exc:
        return Check(name, "warn", exc.message, exc.next_step)
    failed = len(info["failed"])
    if not info["running"]:
        if not failed:
            return Check(name, "ok", "not running (start one with `offload watch --daemon`)")
        return Check(name, "warn", f"not running; {failed} upload(s) failed last time",
                     "read the reasons in `offload watch status`, fix them, then run "
                     "`offload watch --once`")
    detail = f"running (pid {info['pid']}), {info['queue_depth']} queued, {failed} failed"
    if failed:
        return Check(name, "warn", detail, f"read the reasons in `offload watch status` and "
                     f"the log {info['log']}")
    return Check(name, "ok", detail)


def check_inotify(ws: Workspace) -> Check:
    from offload.watch.limits import count_dirs, read_limit, sysctl_hint

    name = "inotify"
    if not sys.platform.startswith("linux"):
        return Check(name, "ok", "not Linux: watch uses the platform's own notifier")
    watches = read_limit("max_user_watches")
    instances = read_limit("max_user_instances")
    if watches is None:
        return Check(name, "warn", "fs.inotify limits are not readable here",
                     "use `offload watch --poll` if watching fails")
    roots = [str(ws.root / p) for p in ws.config.watch_paths if (ws.root / p).is_dir()]
    needed = count_dirs(roots)
    detail = (f"max_user_watches={watches}, max_user_instances={instances}; watch.paths hold "
              f"{needed} folder(s)")
    if needed > watches or watches < MIN_WATCHES:
        return Check(name, "warn", detail, sysctl_hint("max_user_watches", max(needed,
                                                                                MIN_WATCHES)))
    return Check(name, "ok", detail)
