"""Serve the local store read-only over HTTP on 127.0.0.1 (``offload serve``).

GET and HEAD with single byte ranges (206 / 416); the Content-Type comes from the object's
sidecar metadata, else from its extension. The sidecar folder, dot-segments, temp files and
anything reached through a symlink are never served (every step is opened with O_NOFOLLOW).
"""

from __future__ import annotations

import io
import json
import mimetypes
import os
import re
import stat
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from offload.keys import MAX_KEY_BYTES
from offload.store.local import META_DIR
from offload.store.local_files import TEMP_PREFIX

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


class GalleryHook(Protocol):
    def handle(self, handler: BaseHTTPRequestHandler) -> bool: ...


class StoreServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int = 0, gallery: GalleryHook | None = None) -> None:
        self.root = root.resolve()
        self.gallery = gallery  # answers `/` and `/_gallery/live/…` (offload.gallery.app)
        super().__init__(("127.0.0.1", port), StoreHandler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class StoreHandler(BaseHTTPRequestHandler):
    server: StoreServer
    server_version = "offload-serve"

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def do_GET(self) -> None:
        if self.server.gallery is None or not self.server.gallery.handle(self):
            self._respond(send_body=True)

    def do_POST(self) -> None:
        if self.server.gallery is None or not self.server.gallery.handle(self):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only")

    def _respond(self, send_body: bool) -> None:
        key = unquote(urlsplit(self.path).path).lstrip("/")
        if len(key.encode("utf-8", "surrogateescape")) > MAX_KEY_BYTES:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG, "no object has so long a key")
            return
        fd = _open_object(self.server.root, key)
        if fd is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such object")
            return
        with os.fdopen(fd, "rb") as handle:
            self._send(handle, key, send_body)

    def _send(self, handle: io.BufferedReader, key: str, send_body: bool) -> None:
        size = os.fstat(handle.fileno()).st_size
        start, end = 0, size - 1
        wanted = _parse_range(self.headers.get("Range"), size)
        if wanted == "unsatisfiable":
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if isinstance(wanted, tuple):
            start, end = wanted
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(HTTPStatus.OK)
        meta = self._meta(key)
        content_type = meta.get("content_type") or mimetypes.guess_type(key)[0]
        self.send_header("Content-Type", str(content_type or "application/octet-stream"))
        self.send_header("Content-Length", str(max(0, end - start + 1)))
        self.send_header("Accept-Ranges", "bytes")
        if meta.get("sha256"):
            self.send_header("ETag", f"\"{meta['sha256']}\"")
        self.end_headers()
        if send_body and end >= start:
            handle.seek(start)
            _copy_exactly(handle, self.wfile, end - start + 1)

    def _meta(self, key: str) -> dict[str, object]:
        fd = _open_below(self.server.root, [META_DIR, *f"{key}.json".split("/")])
        if fd is None:
            return {}
        try:
            with os.fdopen(fd, "rb") as handle:
                meta = json.loads(handle.read(1024 * 1024).decode("utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}


def _open_object(root: Path, key: str) -> int | None:
    """A read-only descriptor of the object ``key``, or None for anything that is not one:
    dot-segments, the sidecar folder, temp files, and any path through a symlink."""
    segments = key.split("/")
    if not key or any(s in ("", ".", "..") or "\x00" in s for s in segments):
        return None
    if segments[0] == META_DIR or any(s.startswith(TEMP_PREFIX) for s in segments):
        return None
    return _open_below(root, segments)


def _open_below(root: Path, segments: list[str]) -> int | None:
    """Open ``root/segments…`` without following a symlink at any step; a regular file only."""
    opened: list[int] = []
    try:
        current = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        opened.append(current)
        for folder in segments[:-1]:
            current = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                              dir_fd=current)
            opened.append(current)
        fd = os.open(segments[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=current)
    except (OSError, ValueError):
        return None
    finally:
        for folder_fd in opened:
            os.close(folder_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def _parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(start, end) inclusive, "unsatisfiable", or None to send the whole object."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None  # malformed or multi-range: the whole object is a valid answer
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # an invalid range is ignored (RFC 9110 §14.2)
    if start >= size:
        return "unsatisfiable"
    return start, min(int(last), size - 1) if last else size - 1


def _copy_exactly(source: io.BufferedIOBase, target: io.BufferedIOBase, length: int) -> None:
    remaining = length
    while remaining > 0:
        chunk = source.read(min(CHUNK, remaining))
        if not chunk:
            break
        target.write(chunk)
        remaining -= len(chunk)

