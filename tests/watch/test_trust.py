"""What watch reads is untrusted: folders that reach .git or the store, symlinks, FIFOs and
absurd settings are refused or skipped with a message, never followed, opened or crashed on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from testing.cli import run_offload
from tests.watch.conftest import (
    Daemons,
    local_store_keys,
    manifest,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.timeout(90)


@pytest.mark.parametrize("paths", [
    '["outputs/.."]', '["."]', '[".git/offload"]', '["outputs/../.git"]', '["../"]',
    '["to-git/"]', '["to-outside/"]', '["assets-store/"]', '["assets-store/objects/"]',
])
def test_watched_folders_reaching_git_the_store_or_outside_are_refused(
        watched: Path, tmp_path: Path, paths: str) -> None:
    (watched / "to-git").symlink_to(".git")
    (tmp_path / "outside").mkdir()
    (watched / "to-outside").symlink_to(tmp_path / "outside")
    (watched / "assets-store" / "objects").mkdir(parents=True)
    (watched / "outputs" / "frame.png").write_bytes(b"frame")
    write_config(watched, store="assets-store", paths=paths)
    result = run_offload("watch", "--once", "--create", cwd=watched, timeout=60)
    assert result.rc == 3, result.output
    assert "error: watched folder" in result.stderr and "next:" in result.stderr
    assert "Traceback" not in result.output
    assert manifest(watched) == {} and not list((watched / "assets-store").rglob("*.png"))
    assert not (watched / ".git" / "offload" / "watch" / "queue.sqlite").exists()  # not started


def test_a_folder_given_on_the_command_line_is_checked_too(watched: Path) -> None:
    result = run_offload("watch", "--once", "outputs/..", cwd=watched, timeout=60)
    assert result.rc == 3 and "repository root" in result.stderr, result.output
    assert local_store_keys(watched) == []


def test_git_folders_inside_a_watched_folder_are_ignored(watched: Path,
                                                         daemons: Daemons) -> None:
    out = watched / "outputs"
    daemons.start(watched)
    (out / "nested" / ".git" / "objects").mkdir(parents=True)
    (out / "nested" / ".git" / "objects" / "pack.png").write_bytes(b"git data")
    (out / "nested" / ".git" / "config.png").write_bytes(b"git config")
    (out / "nested" / "real.png").write_bytes(b"real")
    wait_for(lambda: "outputs/nested/real.png" in manifest(watched), "the real file")
    assert list(manifest(watched)) == ["outputs/nested/real.png"]
    assert [k for k in local_store_keys(watched) if "pack" in k or "config" in k] == []


def test_symlinks_and_special_files_are_skipped_with_a_message(watched: Path,
                                                               tmp_path: Path) -> None:
    out = watched / "outputs"
    secret = tmp_path / "credentials"
    secret.write_text("aws_secret_access_key = do-not-publish\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "inside.png").write_bytes(b"behind a symlinked folder")
    (out / "notes.png").symlink_to(secret)
    (out / "linked").symlink_to(tmp_path / "elsewhere")
    os.mkfifo(out / "pipe.png")  # opening it would block forever
    (out / "real.png").write_bytes(b"real")
    result = run_offload("watch", "--once", cwd=watched, timeout=60)
    assert result.rc == 0, result.output
    assert list(manifest(watched)) == ["outputs/real.png"]
    assert "skipped symlink outputs/notes.png" in result.stderr
    assert "skipped symlink outputs/linked" in result.stderr
    assert "skipped special file (FIFO, socket or device) outputs/pipe.png" in result.stderr
    stored = b"".join((watched / ".git/offload/store" / k).read_bytes()
                      for k in local_store_keys(watched))
    assert b"do-not-publish" not in stored and b"behind a symlinked" not in stored


@pytest.mark.parametrize("setting", [
    "jobs: .inf", "jobs: .nan", "settle_ms: .nan", "retry_base_s: .inf", "max_wait_s: .inf",
    "rescan_interval_s: 1.0e+400", "retry_max_s: .nan", "poll_interval_s: .inf",
    "queue_max_kb: " + "9" * 400, "jobs: 100000", "settle_ms: 1.0e+12",
])
def test_non_finite_or_absurd_settings_are_refused(watched: Path, setting: str) -> None:
    key, value = setting.split(": ")
    write_config(watched, **{key: value})
    result = run_offload("watch", "--once", cwd=watched, timeout=60)
    assert result.rc == 3, result.output
    # finite-number checks of the whole file or the watch settings' own range checks
    assert "error: offload.yaml:" in result.stderr and f"watch.{key}" in result.stderr
    assert "next:" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("option", [("--max-wait", "nan"), ("--rescan-interval", "inf"),
                                    ("--jobs", "100000")])
def test_non_finite_command_line_settings_are_refused(watched: Path,
                                                      option: tuple[str, str]) -> None:
    result = run_offload("watch", "--once", *option, cwd=watched, timeout=60)
    assert result.rc == 2 and option[0] in result.stderr, result.output
    assert "Traceback" not in result.output


def test_symlinks_and_fifos_appearing_while_watched_are_skipped(watched: Path, tmp_path: Path,
                                                                daemons: Daemons) -> None:
    out = watched / "outputs"
    secret = tmp_path / "credentials"
    secret.write_text("aws_secret_access_key = do-not-publish\n")
    proc = daemons.start(watched)
    (out / "live.png").symlink_to(secret)
    os.mkfifo(out / "live-pipe.png")
    (out / "after.png").write_bytes(b"after")
    wait_for(lambda: "outputs/after.png" in manifest(watched), "the regular file")
    log = daemons.log(proc)
    assert "skipped symlink outputs/live.png" in log and "outputs/live-pipe.png" in log
    assert list(manifest(watched)) == ["outputs/after.png"] and proc.poll() is None
