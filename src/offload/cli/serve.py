"""offload serve: the gallery at / on 127.0.0.1, and the local store's objects beside it."""

from __future__ import annotations

import os

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option
from offload.verbosity import note

DEFAULT_PORT = 8765


@click.command(epilog=examples(
    "offload serve",
    "offload serve --port 0",
    "offload serve --port 0 --json   # one JSON object (url, root, pid) once listening"))
@click.option("--port", "-p", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0),
              help="port on 127.0.0.1 (0: any free port)")
@json_option
def serve(port: int, as_json: bool) -> None:
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
    root = ws.backend.root if isinstance(ws.backend, LocalBackend) else None
    if root is not None:
        note(f"serving {root} at {base}/")
        note(f"while this runs, URLs work with: OFFLOAD_PUBLIC_URL={base} offload url PATH")
    else:
        note(f"pictures come from {ws.backend.description}'s public URLs")
    note(f"gallery: {base}/")
    note("press Ctrl-C to stop")
    if as_json:  # one object once listening, for a script that starts the server
        emit_json({"url": base, "gallery": f"{base}/", "pid": os.getpid(),
                   "root": None if root is None else str(root),
                   "store": ws.backend.description})
    else:
        click.echo(base)
    with server:
        server.serve_forever()
