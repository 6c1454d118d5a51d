"""offload serve: the local store over HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.client
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from offload.store.base import PutRequest
from offload.store.local import LocalBackend
from offload.store.serve import StoreServer
from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import stop_process

DATA = bytes(range(256)) * 40


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[StoreServer, Path]]:
    root = tmp_path / "store"
    backend = LocalBackend(root)
    for key, content_type in (("shots/a b.bin", "image/webp"), ("shots/plain.png", None)):
        source = tmp_path / "src"
        source.write_bytes(DATA)
        backend.put_file(PutRequest(key, source, hashlib.sha256(DATA).hexdigest(),
                                    content_type or "image/png"))
    (root / ".offload-meta" / "shots" / "plain.png.json").unlink()
    (tmp_path / "secret.txt").write_text("outside")
    (root / "shots" / "link.txt").symlink_to(tmp_path / "secret.txt")
    server = StoreServer(root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, root
    finally:
        server.shutdown()
        server.server_close()


def request(server: StoreServer, path: str, method: str = "GET",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request(method, path, headers=headers or {})
    reply = conn.getresponse()
    body = reply.read()
    conn.close()
    return reply.status, {k.lower(): v for k, v in reply.getheaders()}, body


def test_whole_object_and_content_type(served: tuple[StoreServer, Path]) -> None:
    server, _ = served
    status, headers, body = request(server, "/shots/a%20b.bin")
    assert (status, body) == (200, DATA)
    assert headers["content-type"] == "image/webp"  # from the sidecar, not the extension
    assert headers["accept-ranges"] == "bytes"
    status, headers, body = request(server, "/shots/plain.png")
    assert status == 200 and headers["content-type"] == "image/png"
    status, headers, body = request(server, "/shots/plain.png", method="HEAD")
    assert status == 200 and body == b"" and headers["content-length"] == str(len(DATA))


@pytest.mark.parametrize(("spec", "start", "end"), [
    ("bytes=2-5", 2, 5), ("bytes=10000-", 10000, len(DATA) - 1), ("bytes=-3", len(DATA) - 3,
                                                                   len(DATA) - 1),
    ("bytes=0-999999", 0, len(DATA) - 1),
])
def test_ranges(served: tuple[StoreServer, Path], spec: str, start: int, end: int) -> None:
    server, _ = served
    status, headers, body = request(server, "/shots/plain.png", headers={"Range": spec})
    assert status == 206
    assert headers["content-range"] == f"bytes {start}-{end}/{len(DATA)}"
    assert body == DATA[start:end + 1]


def test_unsatisfiable_range(served: tuple[StoreServer, Path]) -> None:
    server, _ = served
    status, headers, _ = request(server, "/shots/plain.png", headers={"Range": "bytes=99999-"})
    assert status == 416 and headers["content-range"] == f"bytes */{len(DATA)}"


@pytest.mark.parametrize("path", [
    "/.offload-meta/shots/a%20b.bin.json", "/shots/../../secret.txt", "/%2e%2e/secret.txt",
    "/shots/link.txt", "/shots", "/", "/shots/missing.png",
])
def test_refused_paths(served: tuple[StoreServer, Path], path: str) -> None:
    server, _ = served
    status, _, body = request(server, path)
    assert status == 404
    assert b"outside" not in body and b"sha256" not in body


def test_cli_serves_what_put_uploaded(repo: GitRepo) -> None:
    repo.write("shots/frame.png", DATA)
    assert run_offload("put", "shots", cwd=repo.path).rc == 0
    proc = subprocess.Popen([sys.executable, "-m", "offload", "serve", "--port", "0"],
                            cwd=repo.path, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:")
        url = run_offload("url", "shots/frame.png", cwd=repo.path,
                          env={"OFFLOAD_PUBLIC_URL": base}).stdout.strip()
        assert url.startswith(base + "/")
        with urllib.request.urlopen(url, timeout=10) as reply:
            assert reply.read() == DATA
            assert reply.headers["Content-Type"] == "image/png"
    finally:
        stop_process(proc)  # type: ignore[arg-type]
