"""Serve the local store read-only over HTTP on 127.0.0.1 (``offload serve``).

GET and HEAD with single byte ranges (206 / 416); the Content-Type comes from the object's
sidecar metadata, else from its extension. The sidecar folder, dot-segments and anything that
resolves outside the store are never served.
"""

from __future__ import annotations

import io
import json
import mimetypes
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from offload.store.local import META_DIR

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
        found = self._resolve()
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such object")
            return
        path, key = found
        size = path.stat().st_size
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
            with open(path, "rb") as handle:
                handle.seek(start)
                _copy_exactly(handle, self.wfile, end - start + 1)

    def _resolve(self) -> tuple[Path, str] | None:
        key = unquote(urlsplit(self.path).path).lstrip("/")
        segments = key.split("/")
        if not key or any(s in ("", ".", "..") or "\x00" in s for s in segments):
            return None
        if segments[0] == META_DIR or any(s.startswith(".tmp-offload-") for s in segments):
            return None
        path = (self.server.root / key).resolve()
        if not path.is_relative_to(self.server.root) or not path.is_file():
            return None
        return path, key

    def _meta(self, key: str) -> dict[str, object]:
        try:
            meta = json.loads((self.server.root / META_DIR / f"{key}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return meta if isinstance(meta, dict) else {}


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

