"""Starting and stopping: folder checks, foreground runs, detaching, ``watch stop``."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from offload.errors import ConfigError, ExitCode, OffloadError, UsageError
from offload.ops.tally import Tally
from offload.verbosity import quiet
from offload.watch.control import StatePaths, is_running, read_pid_file, wait_stopped
from offload.watch.settings import WatchSettings
from offload.workspace import Workspace


class WatchError(OffloadError):
    exit_code = ExitCode.STORE


def resolve_roots(ws: Workspace, paths: list[Path], create: bool) -> list[Path]:
    """Absolute watched folders inside the work tree; missing ones created only on request."""
    named = paths or [ws.root / p for p in ws.config.watch_paths]
    roots: list[Path] = []
    for path in named:
        try:
            absolute = ws.root / ws.repo_path(path)
        except UsageError as exc:
            at_root = (Path.cwd() / path).resolve() == ws.root.resolve()
            reason = "is the repository root itself" if at_root else "is not inside the work tree"
            raise _unsafe(str(path), reason) from exc
        _refuse_unsafe_root(ws, absolute)
        if not absolute.exists() and create:
            absolute.mkdir(parents=True, exist_ok=True)
        if not absolute.is_dir():
            what = "is not a folder" if absolute.exists() else "does not exist"
            raise UsageError(
                f"watched folder {ws.repo_path(path)}/ {what}",
                f"create it (`mkdir -p {ws.repo_path(path)}`) or run `offload watch --create`; "
                "the folders come from watch.paths in offload.yaml or the command line",
            )
        _refuse_unsafe_root(ws, absolute)  # again: what --create made or found
        roots.append(absolute)
    return roots


def _refuse_unsafe_root(ws: Workspace, folder: Path) -> None:
    """A watched folder is a real folder strictly inside the work tree, outside every git dir
    and the local store: watching the store (or .git) would feed it its own objects."""
    from offload.store.factory import store_spec_for

    top = Path(os.path.realpath(ws.root))
    lexical = Path(os.path.normpath(top / folder.relative_to(ws.root)))
    real = Path(os.path.realpath(folder))
    shown = folder.relative_to(ws.root).as_posix()
    spec = store_spec_for(ws.config, ws.repo)
    protected = [ws.repo.git_dir, ws.repo.common_dir, top / ".git"]
    protected += [spec.path] if spec.kind == "local" and spec.path is not None else []
    reason = ""
    if real != lexical:
        reason = f"is reached through a symlink (it resolves to {real})"
    elif real == top or not real.is_relative_to(top):
        reason = "is the repository root itself" if real == top else "is outside the work tree"
    elif ".git" in real.relative_to(top).parts:
        reason = "is inside .git"
    for guarded in (Path(os.path.realpath(p)) for p in protected):
        if not reason and (real.is_relative_to(guarded) or guarded.is_relative_to(real)):
            reason = f"{'is inside' if real.is_relative_to(guarded) else 'contains'} {guarded}"
    if reason:
        raise _unsafe(shown, reason)


def _unsafe(shown: str, reason: str) -> ConfigError:
    return ConfigError(f"watched folder {shown} {reason}",
                       "watch a real folder inside the work tree, outside .git and the local "
                       "store, e.g. outputs/ (watch.paths in offload.yaml or the command line)")


class _NotATerminal:
    """stderr for the daemon: it carries the log, so no per-file progress bars on it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run_foreground(ws: Workspace, roots: list[Path], settings: WatchSettings, *, poll: bool,
                   once: bool) -> Tally:
    from offload.watch.daemon import run_watch
    from offload.watch.queue import Queue

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("offload.watch")
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR if quiet() else logging.INFO)
    sys.stderr = _NotATerminal(sys.stderr)
    tally = run_watch(ws, roots, settings, poll=poll, once=once)
    if once:
        queue = Queue(StatePaths.of(ws.repo).queue, readonly=True)
        failures = queue.failures()
        queue.close()
        if failures:
            names = ", ".join(repr(f["path"]) for f in failures[:5])
            raise WatchError(f"{len(failures)} file(s) not uploaded ({tally.done} uploaded): "
                             f"{names}", "see the reasons with `offload watch status`, fix them, "
                             "and run `offload watch --once` again")
    return tally


def start_daemon(ws: Workspace, roots: list[Path], flags: list[str]) -> tuple[int, Path]:
    from offload.watch.control import DaemonLock

    paths = StatePaths.of(ws.repo)
    probe = DaemonLock(paths)
    probe.acquire()  # refuses a second daemon now, not later in the log
    probe.release()
    paths.pid.unlink(missing_ok=True)
    args = [sys.executable, "-m", "offload", "watch", "run", *map(str, roots), *flags]
    with open(paths.log, "ab") as log:
        proc = subprocess.Popen(args, cwd=ws.root, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=log, start_new_session=True, close_fds=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        info = read_pid_file(paths)
        if info and info["pid"] == proc.pid:
            return proc.pid, paths.log
        if proc.poll() is not None:
            tail = paths.log.read_text(errors="replace").strip().splitlines()[-3:]
            raise WatchError("the watch daemon exited at start: " + " | ".join(tail),
                             f"read {paths.log}, fix the cause and start it again")
        time.sleep(0.05)
    raise WatchError(f"the watch daemon (pid {proc.pid}) did not report ready within 30s",
                     f"read {paths.log}; stop it with `offload watch stop`")


def stop_daemon(ws: Workspace, timeout: float) -> tuple[int | None, str]:
    """Stop this worktree's daemon: (its pid, or None when none ran; what happened)."""
    paths = StatePaths.of(ws.repo)
    if not is_running(paths):
        return None, "no watch daemon is running in this worktree"
    info = None
    deadline = time.monotonic() + 10
    while info is None and time.monotonic() < deadline:  # it may be starting right now
        info = read_pid_file(paths)
        time.sleep(0 if info else 0.05)
    if info is None:
        raise WatchError("the watch daemon holds its lock but wrote no pid file",
                         f"read {paths.log}; end the process by hand if it hangs")
    pid = int(str(info["pid"]))
    os.kill(pid, signal.SIGTERM)
    if not wait_stopped(paths, timeout):
        raise WatchError(f"the watch daemon (pid {pid}) is still draining after {timeout:g}s",
                         f"wait, or `kill -9 {pid}`: the queue keeps every unfinished upload "
                         "for the next start")
    return pid, f"stopped the watch daemon (pid {pid})"
