"""Per-worktree daemon state under the git dir: lock, pid file, log file, queue."""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from offload.errors import ExitCode, OffloadError
from offload.git.repo import RepoPaths


class AlreadyRunningError(OffloadError):
    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class StatePaths:
    folder: Path

    @classmethod
    def of(cls, repo: RepoPaths) -> StatePaths:
        return cls(repo.offload_dir / "watch")

    @property
    def lock(self) -> Path:
        return self.folder / "daemon.lock"

    @property
    def pid(self) -> Path:
        return self.folder / "daemon.pid"

    @property
    def log(self) -> Path:
        return self.folder / "daemon.log"

    @property
    def queue(self) -> Path:
        return self.folder / "queue.sqlite"


class DaemonLock:
    """An flock the kernel releases when the daemon dies, even by SIGKILL."""

    def __init__(self, paths: StatePaths) -> None:
        self.paths = paths
        self.fd: int | None = None

    def acquire(self) -> None:
        self.paths.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            info = read_pid_file(self.paths)
            pid = f" (pid {info['pid']})" if info else ""
            raise AlreadyRunningError(
                f"a watch daemon is already running in this worktree{pid}",
                "see it with `offload watch status`, or stop it with `offload watch stop` "
                "before starting another; other worktrees can each run their own",
            ) from None
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def is_running(paths: StatePaths) -> bool:
    if not paths.lock.exists():
        return False
    fd = os.open(paths.lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def write_pid_file(paths: StatePaths, info: dict[str, object]) -> None:
    tmp = paths.pid.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "started_at": time.time(), **info}))
    os.replace(tmp, paths.pid)


def read_pid_file(paths: StatePaths) -> dict[str, object] | None:
    try:
        data = json.loads(paths.pid.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None


def wait_stopped(paths: StatePaths, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(paths):
            return True
        time.sleep(0.1)
    return not is_running(paths)
