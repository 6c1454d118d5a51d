"""Helpers for the watch tests: daemons run through the real CLI and are always cleaned up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.cli import cli_env, run_offload
from testing.repos import GitRepo

FAST = {"settle_ms": 150, "retry_base_s": 0.2, "retry_max_s": 1, "rescan_interval_s": 30}


def write_config(root: Path, store: str | None = None, paths: str = '["outputs/"]',
                 **watch: Any) -> None:
    settings = {**FAST, **watch}
    lines = [f"store: {store}"] if store else []
    lines.append("watch:")
    lines.append(f"  paths: {paths}")
    lines += [f"  {k}: {v}" for k, v in settings.items()]
    (root / "offload.yaml").write_text("\n".join(lines) + "\n")


def wait_for(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def manifest_lines(root: Path) -> list[dict[str, Any]]:
    try:
        text = (root / "offload.lock").read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def manifest(root: Path) -> dict[str, dict[str, Any]]:
    return {e["path"]: e for e in manifest_lines(root)}


def status(root: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run_offload("watch", "status", "--json", cwd=root, env=env, timeout=30)
    data: dict[str, Any] = result.json()
    assert result.rc == (0 if data["running"] else 3), result.output
    return data


class Daemons:
    """Foreground ``offload watch`` processes; every one is stopped at the end of the test."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, root: Path, *args: str, env: dict[str, str] | None = None,
              ready: bool = True, wrapper: tuple[str, ...] = ()) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"watch-{len(self.procs)}.log", "wb")
        command = [*wrapper, sys.executable, "-m", "offload", "watch", *args]
        proc = subprocess.Popen(command, cwd=root,
                                env=cli_env(env), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.procs.append(proc)
        if ready:
            wait_for(lambda: proc.poll() is not None or status(root, env)["running"],
                     "the daemon to start")
            assert proc.poll() is None, self.log(proc)
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        index = self.procs.index(proc)
        return (self.tmp / f"watch-{index}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)


@pytest.fixture
def daemons(tmp_path: Path) -> Iterator[Daemons]:
    d = Daemons(tmp_path)
    try:
        yield d
    finally:
        d.stop_all()


@pytest.fixture
def watched(repo: GitRepo) -> Iterator[Path]:
    """A repository with offload.yaml (local store) and an empty outputs/ folder."""
    write_config(repo.path)
    (repo.path / "outputs").mkdir()
    yield repo.path
    # a --daemon started by a test must not outlive it
    run_offload("watch", "stop", "--timeout", "20", cwd=repo.path, timeout=40)


def local_store_keys(root: Path) -> list[str]:
    """Objects of the local store (a copy cut by SIGKILL leaves a temp file, not an object)."""
    store = root / ".git" / "offload" / "store"
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*")
                  if p.is_file() and ".offload-meta" not in p.parts
                  and not p.name.startswith(".tmp-offload-"))


def write_slowly(path: Path, chunks: list[bytes], pause: float) -> None:
    with open(path, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            time.sleep(pause)
