"""offload serve: the gallery at / on 127.0.0.1, and the local store's objects beside it."""

from __future__ import annotations

import click

from offload.cli.examples import examples

DEFAULT_PORT = 8765


@click.command(epilog=examples(
    "offload serve",
    "offload serve --port 0"))
@click.option("--port", "-p", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0),
              help="port on 127.0.0.1 (0: any free port)")
def serve(port: int) -> None:
    """Serve the gallery on 127.0.0.1; with the local store also its objects (Range requests).

    \b
    Example:
      offload serve --port 0        # prints the base URL; open it in a browser
    """
    from offload.gallery.server import open_server
    from offload.store.local import LocalBackend
    from offload.workspace import Workspace

    ws = Workspace.discover()
    server = open_server(ws, port)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    if isinstance(ws.backend, LocalBackend):
        click.echo(f"serving {ws.backend.root} at {base}/", err=True)
        click.echo(f"while this runs, URLs work with: OFFLOAD_PUBLIC_URL={base} offload url PATH",
                   err=True)
    else:
        click.echo(f"pictures come from {ws.backend.description}'s public URLs", err=True)
    click.echo(f"gallery: {base}/", err=True)
    click.echo("press Ctrl-C to stop", err=True)
    click.echo(base)
    with server:
        server.serve_forever()
