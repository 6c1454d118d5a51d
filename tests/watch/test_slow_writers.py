"""A file still being written is never uploaded half-written, even with the CPU saturated."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.watch.conftest import (
    Daemons,
    local_store_keys,
    manifest,
    wait_for,
    write_config,
    write_slowly,
)

pytestmark = pytest.mark.timeout(120)

BUSY_LOOP = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end:\n    pass\n"


@pytest.fixture
def cpu_load() -> Iterator[None]:
    """Two busy loops (each ends by itself after 60 s) for the length of the test."""
    procs = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(2)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.parametrize("mode", ["inotify", "poll"])
def test_slow_writers_under_load_are_uploaded_once_complete(
        watched: Path, daemons: Daemons, cpu_load: None, mode: str) -> None:
    out = watched / "outputs"
    daemons.start(watched, *(["--poll"] if mode == "poll" else []))
    (out / "new").mkdir()  # a new folder: its rescan must not forget who is still writing
    chunks = [bytes([65 + i]) * 40_000 for i in range(10)]
    targets = {out / "new" / "slow-sub.exr": chunks, out / "slow-top.exr": chunks[::-1]}
    writers = [threading.Thread(target=write_slowly, args=(path, data, 0.5))
               for path, data in targets.items()]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=30)
    want = {path.relative_to(watched).as_posix(): hashlib.sha256(b"".join(data)).hexdigest()
            for path, data in targets.items()}

    def complete() -> dict[str, dict[str, str]] | None:
        entries = manifest(watched)
        return entries if all(entries.get(p, {}).get("sha256") == s
                              for p, s in want.items()) else None

    entries = wait_for(complete, "both slow files, complete, in the manifest", 60)
    keys = local_store_keys(watched)
    for name in ("slow-sub", "slow-top"):  # one version each: no half-written one before it
        path = next(p for p in want if name in p)
        assert [k for k in keys if name in k] == [entries[path]["key"]]
        stored = watched / ".git" / "offload" / "store" / entries[path]["key"]
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == want[path]


def test_files_in_many_new_folders_are_not_held_waiting_for_a_missed_close(
        watched: Path, daemons: Daemons) -> None:
    """A file written before the watch on its new folder was added has no close event to come;
    the new-folder rescan and the synthetic "created" event must not leave it waiting for one
    (with max_wait at an hour, such a file would miss this test's bounded wait)."""
    write_config(watched, max_wait_s=3600)
    daemons.start(watched)
    out = watched / "outputs"
    for i in range(40):
        (out / f"shot-{i:02}").mkdir()
        (out / f"shot-{i:02}" / "frame.png").write_bytes(bytes([i]) * 100)
    wait_for(lambda: len(manifest(watched)) == 40, "a file from every new folder", 45)
