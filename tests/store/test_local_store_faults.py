"""The local store on a full or read-only disk (exit 4, no temp files left), leftovers of killed
writes, and ``offload serve`` against symlinks and absurd paths."""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offload.errors import ExitCode, StoreError
from offload.store.base import PutRequest
from offload.store.local import LocalBackend
from testing.cli import SRC, cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import stop_process

# Injects a file-system failure into the real CLI: no tmpfs or read-only mount without root.
SHIM = '''
import errno, os, tempfile
_kind, _under = os.environ.get("SHIM_FAIL", ""), os.environ.get("SHIM_UNDER", "")
if _kind == "ENOSPC":
    def _full(fd, _real=os.fsync):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    os.fsync = _full
elif _kind == "EROFS":
    def _readonly(*args, _real=tempfile.mkstemp, **kwargs):
        if str(kwargs.get("dir", "")).startswith(_under):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return _real(*args, **kwargs)
    tempfile.mkstemp = _readonly
'''


def temps(root: Path) -> list[Path]:
    return [p for p in root.rglob(".tmp-offload-*")] if root.exists() else []


def failing_env(tmp_path: Path, kind: str, under: Path) -> dict[str, str]:
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(SHIM)
    return {"PYTHONPATH": f"{shim}{os.pathsep}{SRC}", "SHIM_FAIL": kind, "SHIM_UNDER": str(under)}


def test_full_disk_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("offload.store.local_files.os.fsync", full)
    store = LocalBackend(tmp_path / "store")
    source = tmp_path / "a.png"
    source.write_bytes(b"x" * 5000)
    for immutable in (True, False):
        request = PutRequest("shots/a.png", source, hashlib.sha256(b"x" * 5000).hexdigest(),
                             "image/png", immutable=immutable)
        with pytest.raises(StoreError, match="no space left") as caught:
            store.put_file(request)
        assert caught.value.exit_code == ExitCode.STORE
    assert temps(tmp_path / "store") == []
    assert not (tmp_path / "store" / "shots" / "a.png").exists()


@pytest.mark.parametrize("kind", ["ENOSPC", "EROFS"])
def test_full_or_read_only_store_exits_4(repo: GitRepo, tmp_path: Path, kind: str) -> None:
    store = tmp_path / "store"
    repo.write("offload.yaml", f"store: {store}\n")
    repo.write("shots/a.png", b"\x89PNG" + os.urandom(3000))
    repo.write("shots/b.png", b"\x89PNG" + os.urandom(3000))
    (store / "shots").mkdir(parents=True)
    if kind == "EROFS" and os.geteuid() != 0:
        (store / "shots").chmod(0o555)  # a real read-only folder when not root
        env: dict[str, str] = {}
    else:
        env = failing_env(tmp_path, kind, store)
    try:
        result = run_offload("put", "shots", cwd=repo.path, env=env)
    finally:
        (store / "shots").chmod(0o755)
    assert result.rc == ExitCode.STORE, result.output
    assert "error:" in result.stderr and "next:" in result.stderr
    assert "Traceback" not in result.output
    assert temps(store) == [] and not (repo.path / "offload.lock").exists()


def test_stale_temp_files_are_removed_by_the_next_write(repo: GitRepo, tmp_path: Path) -> None:
    store = tmp_path / "store"
    repo.write("offload.yaml", f"store: {store}\n")
    (store / "shots").mkdir(parents=True)
    stale, fresh = store / "shots" / ".tmp-offload-killed", store / "shots" / ".tmp-offload-now"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a file")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    repo.write("shots/a.png", b"\x89PNG" + os.urandom(3000))
    result = run_offload("put", "shots", cwd=repo.path)
    assert result.rc == 0, result.output
    assert not stale.exists()
    assert fresh.exists()  # it may belong to a write still running


def test_serve_never_follows_symlinks_or_answers_with_a_traceback(repo: GitRepo) -> None:
    repo.write("shots/frame.png", b"frame")
    assert run_offload("put", "shots", cwd=repo.path).rc == 0
    store = repo.path / ".git" / "offload" / "store"
    (store / "meta").symlink_to(".offload-meta")
    (store / "alias").symlink_to("shots")
    key = next(p for p in (store / "shots").iterdir()).name
    proc = subprocess.Popen([sys.executable, "-m", "offload", "serve", "--port", "0"],
                            cwd=repo.path, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        port = int(base.rsplit(":", 1)[1])
        assert get(port, f"/shots/{key}") == (200, b"frame")
        for path in (f"/meta/shots/{key}.json", f"/alias/{key}", "/meta/", "/.offload-meta/"):
            status, body = get(port, path)
            assert status == 404 and b"sha256" not in body and b"frame" not in body, path
        for path in ("/" + "x" * 5000, "/shots/" + "y" * 5000 + "/z.png", "/a/" * 200):
            status, _ = get(port, path)
            assert status in (404, 414), path
    finally:
        stop_process(proc)  # type: ignore[arg-type]
        _, err = proc.communicate(timeout=10)
    assert "Traceback" not in err


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()
