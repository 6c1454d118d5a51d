"""A 127.0.0.1 server for the live gallery of any store: a local store is served with its
objects (``offload serve``); a remote store's pictures come from its public URLs."""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from offload.errors import UsageError
from offload.gallery.app import GalleryApp
from offload.store.local import LocalBackend
from offload.workspace import Workspace


class GalleryServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: GalleryApp, port: int = 0) -> None:
        self.app = app
        super().__init__(("127.0.0.1", port), _GalleryOnly)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _GalleryOnly(BaseHTTPRequestHandler):
    server: GalleryServer
    server_version = "offload-gallery"

    def do_GET(self) -> None:
        if not self.server.app.handle(self):
            self.send_error(HTTPStatus.NOT_FOUND, "the gallery is at /")

    def do_POST(self) -> None:
        if not self.server.app.handle(self):
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "read-only")


def open_server(ws: Workspace, port: int) -> ThreadingHTTPServer:
    """The local store's server with the gallery hooked in, or a gallery-only server."""
    from offload.store.serve import StoreServer

    app = GalleryApp(ws)
    try:
        if isinstance(ws.backend, LocalBackend):
            return StoreServer(ws.backend.root, port, gallery=app)
        return GalleryServer(app, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                         "choose another port with --port N (or --port 0 for any free one)"
                         ) from None
