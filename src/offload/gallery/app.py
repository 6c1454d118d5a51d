"""The gallery inside ``offload serve``: pages at ``/`` and under ``/_gallery/live/``.

Read-only except one POST (approve) that needs this run's token and the server's own Origin;
every gallery request must name this server as its Host (no DNS rebinding).
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from importlib.resources import files
from urllib.parse import parse_qs, urlsplit

from offload.errors import OffloadError
from offload.gallery.approve import approve
from offload.gallery.catalog import Catalog, build_catalog, family_of
from offload.gallery.links import LIVE, Links
from offload.gallery.render import index_json, render_asset, render_index
from offload.gallery.thumbs import Thumbnails
from offload.store.local import LocalBackend
from offload.workspace import Workspace

STATIC_FILES = {"gallery.css": "text/css; charset=utf-8",
                "gallery.js": "text/javascript; charset=utf-8"}
MAX_FORM_BYTES = 16 * 1024
_THUMB = re.compile(rf"^{LIVE}/thumb/([0-9a-f]{{64}})\.jpg$")
CSP = ("default-src 'none'; img-src 'self' data: http: https:; style-src 'self'; "
       "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class GalleryApp:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.token = secrets.token_urlsafe(32)
        self.thumbs = Thumbnails(ws)
        self.links = Links(ws, live=True, local_objects=isinstance(ws.backend, LocalBackend))
        self._lock = threading.Lock()
        self._cached: tuple[object, Catalog] | None = None

    def handle(self, handler: BaseHTTPRequestHandler) -> bool:
        """Answer a gallery request and return True; False leaves it to the store."""
        path = urlsplit(handler.path).path
        if path != "/" and not path.startswith(LIVE + "/"):
            return False
        if not self._own_host(handler):
            _send(handler, HTTPStatus.MISDIRECTED_REQUEST, b"unknown host\n", "text/plain")
            return True
        try:
            if handler.command == "POST" and path == f"{LIVE}/approve":
                self._approve(handler)
            elif handler.command == "GET":
                self._get(handler, path)
            else:
                _send(handler, HTTPStatus.METHOD_NOT_ALLOWED, b"not allowed\n", "text/plain")
        except OffloadError as exc:
            _send(handler, HTTPStatus.INTERNAL_SERVER_ERROR, exc.render().encode(), "text/plain")
        return True

    def catalog(self) -> Catalog:
        with self._lock:
            stamp = self._stamp()
            if self._cached is None or self._cached[0] != stamp:
                self._cached = (stamp, build_catalog(self.ws))
            return self._cached[1]

    def _get(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        first = {k: v[0] for k, v in query.items()}
        if path == "/":
            html = render_index(self.catalog(), self.links, first.get("q", ""),
                                first.get("source", ""))
            _send_html(handler, html)
        elif path == f"{LIVE}/asset":
            catalog = self.catalog()
            family = catalog.find(first.get("f", ""))
            if family is None:
                _send(handler, HTTPStatus.NOT_FOUND, b"no such asset\n", "text/plain")
                return
            _send_html(handler, render_asset(catalog, family, self.links, self.token,
                                             (first.get("a", ""), first.get("b", ""))))
        elif path == f"{LIVE}/index.json":
            _send(handler, HTTPStatus.OK, index_json(self.catalog(), self.links).encode(),
                  "application/json")
        elif path.startswith(f"{LIVE}/static/") and path.rsplit("/", 1)[1] in STATIC_FILES:
            name = path.rsplit("/", 1)[1]
            body = files("offload.gallery").joinpath("static", name).read_bytes()
            _send(handler, HTTPStatus.OK, body, STATIC_FILES[name])
        elif (match := _THUMB.match(path)) is not None:
            self._thumb(handler, match.group(1))
        else:
            _send(handler, HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _thumb(self, handler: BaseHTTPRequestHandler, sha256: str) -> None:
        version = self.catalog().version_by_sha(sha256)
        if version is None:
            _send(handler, HTTPStatus.NOT_FOUND, b"no such thumbnail\n", "text/plain")
            return
        body = self.thumbs.jpeg(version.entry)
        _send(handler, HTTPStatus.OK, body, "image/jpeg",
              {"Cache-Control": "private, max-age=86400"})

    def _approve(self, handler: BaseHTTPRequestHandler) -> None:
        origin = handler.headers.get("Origin")
        if origin != f"http://{handler.headers.get('Host')}":
            _send(handler, HTTPStatus.FORBIDDEN, b"approval refused: foreign or missing Origin\n",
                  "text/plain")
            return
        length_text = handler.headers.get("Content-Length") or "0"
        length = int(length_text) if length_text.isdigit() else 0
        if length <= 0 or length > MAX_FORM_BYTES:
            _send(handler, HTTPStatus.BAD_REQUEST, b"approval needs a small form body\n",
                  "text/plain")
            return
        form = parse_qs(handler.rfile.read(length).decode("utf-8", "replace"))
        token = form.get("token", [""])[0]
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            _send(handler, HTTPStatus.FORBIDDEN, b"approval refused: missing or wrong token\n",
                  "text/plain")
            return
        path = form.get("path", [""])[0]
        if path not in self.ws.manifest.read():
            _send(handler, HTTPStatus.NOT_FOUND, b"no such asset in offload.lock\n",
                  "text/plain")
            return
        done = approve(self.ws, path)
        with self._lock:
            self._cached = None
        target = self.links.asset(family_of(done.entry.path))
        _send(handler, HTTPStatus.SEE_OTHER, b"approved\n", "text/plain", {"Location": target})

    def _own_host(self, handler: BaseHTTPRequestHandler) -> bool:
        address = handler.server.server_address
        port = address[1] if isinstance(address, tuple) else None
        return handler.headers.get("Host") in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _stamp(self) -> object:
        watched = (self.ws.config.manifest_path, self.ws.repo.git_dir / "logs" / "HEAD",
                   self.ws.repo.git_dir / "HEAD")
        stamp: list[object] = []
        for path in watched:
            try:
                info = path.stat()
                stamp.append((info.st_mtime_ns, info.st_size))
            except OSError:
                stamp.append(None)
        return tuple(stamp)


def _send_html(handler: BaseHTTPRequestHandler, html: str) -> None:
    _send(handler, HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8",
          {"Content-Security-Policy": CSP, "Cache-Control": "no-store"})


def _send(handler: BaseHTTPRequestHandler, status: HTTPStatus, body: bytes, content_type: str,
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("X-Content-Type-Options", "nosniff")
    handler.send_header("Referrer-Policy", "same-origin")
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
