"""A killed daemon loses nothing; bad input is reported, never fatal (except a full queue)."""

from __future__ import annotations

import os
import shutil
import signal
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
    write_config,
)

pytestmark = pytest.mark.timeout(120)


def test_sigkill_mid_burst_then_restart_uploads_300_once(watched: Path, daemons: Daemons) -> None:
    out = watched / "outputs"
    first = daemons.start(watched)
    for i in range(150):
        (out / f"burst-{i:03}.png").write_bytes(os.urandom(1024) + bytes([i]))
    wait_for(lambda: len(manifest(watched)) >= 20, "some uploads before the kill")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    for i in range(150, 300):  # written while no daemon runs
        (out / f"burst-{i:03}.png").write_bytes(os.urandom(1024) + bytes([i % 256]))
    assert len(manifest(watched)) < 300
    daemons.start(watched)
    wait_for(lambda: len(manifest(watched)) == 300, "300/300 after the restart", timeout=60)
    lines = manifest_lines(watched)
    assert len(lines) == 300 and len({e["path"] for e in lines}) == 300
    assert len(local_store_keys(watched)) == 300
    info = wait_for(lambda: (s := status(watched))["queue_depth"] == 0 and s, "an empty queue")
    assert info["uploaded"] == 300 and info["failed"] == []


def test_missing_folder_is_an_error_unless_create(watched: Path) -> None:
    result = run_offload("watch", "--once", "renders", cwd=watched)
    assert result.rc == 2
    assert "renders/ does not exist" in result.stderr and "--create" in result.stderr
    created = run_offload("watch", "--once", "--create", "renders", cwd=watched)
    assert created.rc == 0, created.output
    assert (watched / "renders").is_dir()


def test_folder_deleted_and_recreated_while_watched(watched: Path, daemons: Daemons) -> None:
    out = watched / "outputs"
    proc = daemons.start(watched)
    (out / "before.png").write_bytes(b"before")
    wait_for(lambda: "outputs/before.png" in manifest(watched), "the first upload")
    (out / "before.png").unlink()
    out.rmdir()
    wait_for(lambda: "was deleted" in daemons.log(proc), "the daemon to notice the deletion")
    out.mkdir()
    (out / "after.png").write_bytes(b"after")
    wait_for(lambda: "outputs/after.png" in manifest(watched), "an upload from the new folder")
    assert proc.poll() is None


def test_symlink_loop_newline_name_and_zero_bytes(watched: Path, daemons: Daemons) -> None:
    out = watched / "outputs"
    (out / "loop").symlink_to("loop")
    (out / "cycle").mkdir()
    (out / "cycle" / "up").symlink_to("..")
    proc = daemons.start(watched)
    (out / "bad\nname.png").write_bytes(b"newline in the name")
    (out / "empty.png").write_bytes(b"")
    (out / "fine.png").write_bytes(b"fine")
    info = wait_for(lambda: (s := status(watched))["failed"] and s["uploaded"] >= 2 and s,
                    "the good files uploaded and the bad name reported")
    assert set(manifest(watched)) == {"outputs/empty.png", "outputs/fine.png"}
    assert manifest(watched)["outputs/empty.png"]["size"] == 0
    [failure] = info["failed"]
    assert failure["path"] == "outputs/bad\nname.png" and not failure["will_retry"]
    assert "control character" in failure["error"] and "rename" in failure["error"]
    assert "outputs/bad\\nname.png" in run_offload("watch", "status", cwd=watched).stdout
    os.rename(out / "bad\nname.png", out / "good-name.png")  # the fix the reason suggests
    wait_for(lambda: "outputs/good-name.png" in manifest(watched), "the renamed file")
    assert proc.poll() is None


def test_unreadable_file_is_reported_retried_and_not_lost(watched: Path,
                                                          daemons: Daemons) -> None:
    wrapper: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root reads every file: drop the capabilities that allow it
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop CAP_DAC_OVERRIDE")
        caps = "-dac_override,-dac_read_search"
        wrapper = ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}")
    out = watched / "outputs"
    daemons.start(watched, wrapper=wrapper)
    secret = out / "locked.png"
    secret.write_bytes(b"no read permission")
    secret.chmod(0)
    info = wait_for(lambda: (s := status(watched))["failed"] and s, "the failure report")
    assert info["failed"][0]["will_retry"] and "Permission denied" in info["failed"][0]["error"]
    secret.chmod(0o644)
    wait_for(lambda: "outputs/locked.png" in manifest(watched), "the retried upload")


def test_full_queue_stops_the_daemon_without_losing_files(watched: Path,
                                                          daemons: Daemons) -> None:
    write_config(watched, queue_max_kb=24)
    out = watched / "outputs"
    proc = daemons.start(watched)
    names = [f"{i:03}-{'x' * 180}.png" for i in range(120)]
    for name in names:
        (out / name).write_bytes(name.encode())
    assert proc.wait(timeout=60) != 0
    log = daemons.log(proc)
    assert "cannot be written" in log and "full" in log and "next:" in log
    assert not status(watched)["running"]
    write_config(watched)  # the space is back
    result = run_offload("watch", "--once", cwd=watched, timeout=90)
    assert result.rc == 0, result.output
    assert len(manifest(watched)) == len(names)
