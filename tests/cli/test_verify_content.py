"""`offload verify` checks content on the local store, and on remote stores with --deep."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from offload import __version__
from testing.cli import run_offload
from testing.repos import GitRepo

STORE = Path(".git/offload/store")


def flip_middle(path: Path, count: int = 16) -> bytes:
    """Invert ``count`` bytes in the middle of ``path`` (same size); return the new content."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + count] = bytes(b ^ 0xFF for b in data[middle:middle + count])
    path.write_bytes(bytes(data))
    return bytes(data)


def put_frames(repo: GitRepo, count: int = 3, size: int = 64 * 1024) -> list[dict[str, str]]:
    for i in range(count):
        repo.write(f"frames/f{i}.png", os.urandom(size + i))
    put = run_offload("put", "frames", "--json", cwd=repo.path)
    assert put.rc == 0, put.output
    entries: list[dict[str, str]] = put.json()["items"]
    return entries


def test_local_store_flipped_bytes_are_found(repo: GitRepo) -> None:
    entries = put_frames(repo)
    intact = run_offload("verify", "--json", cwd=repo.path)
    assert intact.rc == 0, intact.output
    assert intact.json() == {"kind": "verify", "check": "content", "checked": 3, "ok": True,
                             "problems": [], "version": __version__}
    damaged = entries[1]
    stored = repo.path / STORE / damaged["key"]
    actual = hashlib.sha256(flip_middle(stored)).hexdigest()  # the sidecar metadata is kept
    text = run_offload("verify", "--jobs", "2", cwd=repo.path)
    assert text.rc == 1, text.output
    assert f"FAIL {damaged['path']} ({damaged['key']})" in text.stdout
    assert actual in text.stdout and damaged["sha256"] in text.stdout
    assert "by content" in text.stdout and "next:" in text.stderr
    as_json = run_offload("verify", "--json", cwd=repo.path)
    assert as_json.rc == 1
    report = as_json.json()
    assert report["check"] == "content" and report["ok"] is False
    [problem] = report["problems"]
    assert problem["path"] == damaged["path"] and problem["actual_sha256"] == actual
    assert damaged["sha256"] in problem["reason"]


def test_local_store_missing_object(repo: GitRepo) -> None:
    entries = put_frames(repo, count=2)
    (repo.path / STORE / entries[0]["key"]).unlink()
    result = run_offload("verify", cwd=repo.path)
    assert result.rc == 1
    assert f"FAIL {entries[0]['path']} ({entries[0]['key']}): missing from the store" in result.stdout


def test_get_of_a_corrupted_object_fails_and_writes_nothing(repo: GitRepo, tmp_path: Path) -> None:
    [entry] = put_frames(repo, count=1)
    flip_middle(repo.path / STORE / entry["key"])
    out = tmp_path / "out"
    got = run_offload("get", entry["path"], "-o", out, cwd=repo.path)
    assert got.rc == 1 and entry["sha256"][:12] in got.stderr, got.output
    assert not out.exists() or list(out.iterdir()) == []
    (repo.path / entry["path"]).unlink()  # into the work tree: no partial file either
    in_place = run_offload("get", entry["path"], cwd=repo.path)
    assert in_place.rc == 1, in_place.output
    assert list((repo.path / "frames").iterdir()) == []
    pulled = run_offload("pull", cwd=repo.path)
    assert pulled.rc == 1 and list((repo.path / "frames").iterdir()) == []


def test_progress_on_a_terminal_only(repo: GitRepo) -> None:
    import pty
    import subprocess
    import sys
    import threading

    from testing.cli import cli_env

    put_frames(repo, count=1)
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:  # read while the child writes, so a full pty buffer never blocks it
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc = subprocess.run([sys.executable, "-m", "offload", "verify"], cwd=repo.path,
                          env=cli_env(), stdout=subprocess.PIPE, stderr=slave, timeout=120)
    os.close(slave)
    reader.join(timeout=30)
    os.close(master)
    assert proc.returncode == 0
    assert b"verifying" in seen and b"verifying" not in proc.stdout
    assert run_offload("verify", cwd=repo.path).stderr == ""  # not a terminal: no bar
