"""offload serve: the local store over HTTP on 127.0.0.1."""

from __future__ import annotations

import click

DEFAULT_PORT = 8765


@click.command()
@click.option("--port", "-p", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0),
              help="port on 127.0.0.1 (0: any free port)")
def serve(port: int) -> None:
    """Serve the local store over HTTP on 127.0.0.1 (Range requests, Content-Type)."""
    from offload.errors import UsageError
    from offload.gallery.app import GalleryApp
    from offload.store.local import LocalBackend
    from offload.store.serve import StoreServer
    from offload.workspace import Workspace

    ws = Workspace.discover()
    backend = ws.backend
    if not isinstance(backend, LocalBackend):
        raise UsageError(
            f"offload serve serves the local store; this repository uses {backend.description}",
            "use the store's own public URL (`public_url` in offload.yaml) instead",
        )
    try:
        server = StoreServer(backend.root, port, gallery=GalleryApp(ws))
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
                         "choose another port with --port N (or --port 0 for any free one)"
                         ) from None
    base = server.base_url
    click.echo(f"serving {backend.root} at {base}/", err=True)
    click.echo(f"gallery: {base}/", err=True)
    click.echo(f"while this runs, URLs work with: OFFLOAD_PUBLIC_URL={base} offload url PATH",
               err=True)
    click.echo("press Ctrl-C to stop", err=True)
    click.echo(base)
    with server:
        server.serve_forever()
