"""Files written the ways generators write them, picked up by a running daemon."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from testing.cli import run_offload
from tests.watch.conftest import (
    Daemons,
    local_store_keys,
    manifest,
    manifest_lines,
    status,
    wait_for,
    write_slowly,
)

pytestmark = pytest.mark.timeout(90)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("mode", ["inotify", "poll"])
def test_direct_temp_rename_slow_deleted_and_overwritten(watched: Path, daemons: Daemons,
                                                         mode: str) -> None:
    out = watched / "outputs"
    proc = daemons.start(watched, *(["--poll"] if mode == "poll" else []))

    (out / "direct.png").write_bytes(b"direct")
    (out / "render.png.tmp").write_bytes(b"rendered")  # Pillow-style: temp name, then rename
    os.rename(out / "render.png.tmp", out / "render.png")
    (out / "sub").mkdir()
    (out / "sub" / "deep.png").write_bytes(b"deep")
    chunks = [bytes([i]) * 50_000 for i in range(6)]
    slow = threading.Thread(target=write_slowly, args=(out / "slow.exr", chunks, 0.25))
    slow.start()
    (out / "gone.png").write_bytes(b"deleted before it settled")
    (out / "gone.png").unlink()
    slow.join(timeout=30)

    want = {"outputs/direct.png": b"direct", "outputs/render.png": b"rendered",
            "outputs/sub/deep.png": b"deep", "outputs/slow.exr": b"".join(chunks)}
    def complete() -> dict[str, dict[str, str]] | None:
        m = manifest(watched)
        ok = all(m.get(p, {}).get("sha256") == sha(data) for p, data in want.items())
        return m if ok else None

    try:
        entries = wait_for(complete, "all four files, complete, in the manifest")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nmanifest: {manifest(watched)}\n{daemons.log(proc)}") from exc
    assert {entries[p]["source"] for p in want} == {"watch"}
    assert "outputs/gone.png" not in entries
    assert not any("tmp" in k for k in entries)
    # Both modes: a file open for writing is held back, so the slow one went up once, complete.
    assert [k for k in local_store_keys(watched) if "slow" in k] == [
        entries["outputs/slow.exr"]["key"]]

    (out / "direct.png").write_bytes(b"overwritten in place")
    wait_for(lambda: manifest(watched)["outputs/direct.png"]["sha256"]
             == sha(b"overwritten in place"), "the overwritten file to be uploaded again")
    lines = manifest_lines(watched)
    assert len(lines) == len({e["path"] for e in lines}) == 4
    assert "/outputs" in (watched / ".gitignore").read_text().splitlines()
    assert (watched / ".gitignore").read_text().count("outputs") == 1
    info = status(watched)
    assert info["running"] and info["failed"] == [] and info["uploaded"] >= 4


def test_daemon_status_stop_and_second_daemon(watched: Path) -> None:
    started = run_offload("watch", "--daemon", cwd=watched, timeout=60)
    assert started.rc == 0, started.output
    again = run_offload("watch", "--daemon", cwd=watched, timeout=60)
    assert again.rc == 2 and "already running" in again.stderr and "next:" in again.stderr
    foreground = run_offload("watch", cwd=watched, timeout=60)
    assert foreground.rc == 2 and "already running" in foreground.stderr

    for i in range(20):
        (watched / "outputs" / f"f{i}.png").write_bytes(os.urandom(2048))
    wait_for(lambda: len(manifest(watched)) == 20, "20 uploads")
    text = run_offload("watch", "status", cwd=watched).stdout
    assert "running (pid" in text and "uploaded:     20" in text and "last upload:" in text
    log = Path(status(watched)["log"])
    assert log.is_relative_to(watched / ".git") and "uploaded outputs/f0.png" in log.read_text()

    stopped = run_offload("watch", "stop", cwd=watched, timeout=60)
    assert stopped.rc == 0 and "stopped" in stopped.stdout
    assert not status(watched)["running"]
    assert not (watched / ".git" / "offload" / "watch" / "daemon.pid").exists()
    assert "not running" in run_offload("watch", "stop", cwd=watched).stdout + "not running"


def test_once_uploads_files_written_while_no_daemon_ran(watched: Path) -> None:
    for i in range(5):
        (watched / "outputs" / f"o{i}.png").write_bytes(b"x" * i)
    (watched / "outputs" / "~lock.png").write_bytes(b"office lock file")
    (watched / "outputs" / ".#emacs.png").write_bytes(b"emacs lock")
    (watched / "outputs" / "dl.png.crdownload").write_bytes(b"partial")
    result = run_offload("watch", "--once", "--json", cwd=watched, timeout=60)
    assert result.rc == 0, result.output
    assert result.json()["uploaded"] == 5
    assert sorted(manifest(watched)) == [f"outputs/o{i}.png" for i in range(5)]
    assert manifest(watched)["outputs/o0.png"]["size"] == 0  # the 0-byte file too
    again = run_offload("watch", "--once", "--json", cwd=watched, timeout=60)
    assert again.json()["uploaded"] == 0
