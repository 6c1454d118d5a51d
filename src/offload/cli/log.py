"""`offload log PATH`."""

from __future__ import annotations

from pathlib import Path

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(name="log", epilog=examples(
    "offload log characters/mira/turnaround/v2.png"))
@click.argument("path", type=click.Path(path_type=Path))
@json_option
def log(path: Path, as_json: bool) -> None:
    """Every version PATH had in offload.lock across history, newest first."""
    from offload.history.log import asset_log, version_json
    from offload.units import human_bytes
    from offload.workspace import Workspace

    ws = Workspace.discover()
    history = asset_log(ws, ws.repo_path(path))
    if as_json:
        emit_json(history.to_json())
        return
    for version in history.versions:
        data = version_json(version)
        click.echo(f"{data['commit'][:12]}  {data['date']}  {data['author']}  {data['subject']}")
        click.echo(f"    sha256 {data['sha256']}  {human_bytes(data['size'])} "
                   f"({data['size']} B)  source {data['source']}")
        click.echo(f"    {data['url'] or data['key']}")
        if data["provenance"]:
            click.echo(f"    {data['provenance']}")
    click.echo(f"{len(history.versions)} version(s) of {history.path}")
    if history.unreadable_lines:
        click.echo(f"warning: {history.unreadable_lines} unreadable offload.lock line(s) in "
                   "history were skipped", err=True)
