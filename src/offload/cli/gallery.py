"""offload gallery build: the gallery as static files (and --publish them to the store)."""

from __future__ import annotations

from pathlib import Path

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.group(epilog=examples(
    "offload gallery build -o site/gallery",
    "offload gallery serve --port 8766"))
def gallery() -> None:
    """The asset gallery as static files (`offload serve` shows it live at /)."""


@gallery.command(name="serve", epilog=examples(
    "offload gallery serve",
    "offload gallery serve --port 0"))
@click.option("--port", "-p", default=8766, show_default=True, type=click.IntRange(0),
              help="port on 127.0.0.1 (0: any free port)")
def serve_gallery(port: int) -> None:
    """Serve the live gallery of any store on 127.0.0.1 (pictures of a remote store come
    from its public URLs; thumbnails are made here, so the page holds no credentials)."""
    from offload.gallery.server import open_server
    from offload.workspace import Workspace

    server = open_server(Workspace.discover(), port)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    click.echo(f"gallery at {base}/ (press Ctrl-C to stop)", err=True)
    click.echo(base)
    with server:
        server.serve_forever()


@gallery.command(epilog=examples(
    "offload gallery build -o site/gallery",
    "offload gallery build -o site/gallery --publish"))
@click.option("-o", "--output", "out", required=True,
              type=click.Path(path_type=Path, file_okay=False),
              help="folder to write the gallery into (index.html, assets/, thumbs/)")
@click.option("--publish", is_flag=True, help="also upload it into the store under _gallery/")
@json_option
def build(out: Path, publish: bool, as_json: bool) -> None:
    """Write the gallery as static HTML, CSS and a JSON index that open from file://."""
    from offload.gallery.build import build_static
    from offload.gallery.build import publish as publish_build
    from offload.workspace import Workspace

    ws = Workspace.discover()
    built = build_static(ws, out.resolve())
    index = (built.out / "index.html").as_uri()
    link = publish_build(ws, built) if publish else None
    if as_json:
        emit_json({"output": str(built.out), "index": index, "files": len(built.files),
                   "assets": built.assets, "versions": built.versions,
                   "published": publish, "url": link})
        return
    click.echo(f"wrote {len(built.files)} files for {built.assets} assets "
               f"({built.versions} versions) to {built.out}", err=True)
    click.echo(index)
    if publish:
        if link is None:
            click.echo("published under _gallery/ in the store; set `public_url` in "
                       "offload.yaml to get a shareable link", err=True)
        else:
            click.echo(f"published: {link}", err=True)
            click.echo(link)
