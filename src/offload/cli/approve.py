"""offload approve: mark one version of an asset family as the approved one."""

from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(epilog=examples(
    "offload approve characters/mira/turnaround/v2.png",
    "offload ls --approved"))
@click.argument("path")
@json_option
def approve(path: str, as_json: bool) -> None:
    """Record PATH as its family's approved version (meta.approved in offload.lock).

    A family is a folder of numbered versions (characters/nina/turnaround/v3.png) or a single
    path; approving one version takes the approval back from the others.
    """
    from offload.gallery.approve import approve as approve_entry
    from offload.workspace import Workspace

    done = approve_entry(Workspace.discover(), path)
    if as_json:
        emit_json({"approved": done.entry.to_json(), "family": done.family,
                   "unapproved": list(done.replaced)})
        return
    click.echo(f"approved {done.entry.path}")
    for other in done.replaced:
        click.echo(f"no longer approved: {other}")
    click.echo("commit offload.lock to share the approval", err=True)
