"""offload status: like `git status`, for assets."""

from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option

LOCK_LINES = {
    "untracked": "offload.lock is not committed yet",
    "staged": "offload.lock has staged changes",
    "modified": "offload.lock has changes not staged",
}


@click.command(epilog=examples(
    "offload status",
    "offload status --store --json"))
@click.option("--store", "ask_store", is_flag=True,
              help="also ask the store which recorded objects it lacks")
@json_option
def status(ask_store: bool, as_json: bool) -> None:
    """Show artifacts not yet offloaded, changed or missing assets, offload.lock and migrations.

    \b
    Example:
      offload status
      offload status --store        # also ask the store (network)
      offload status --json | jq .unrecorded
    """
    from offload.ops.status import collect_status
    from offload.workspace import Workspace

    ws = Workspace.discover()
    found = collect_status(ws, ask_store)
    if as_json:
        emit_json(found.to_json())
        return
    from offload.units import human_bytes

    sections: list[tuple[str, str, list[str]]] = [
        ("Artifacts neither ignored nor recorded in offload.lock:",
         "use `offload put PATH… --untrack` to offload them", [
             f"{u.path} ({human_bytes(u.size)}, {u.reason}"
             f"{', tracked by git' if u.tracked else ''})" for u in found.unrecorded]),
        ("Changed since recorded:", "use `offload put PATH…` to record the new version, or "
         "`offload pull PATH` to restore the recorded one", found.changed),
        ("Recorded but not pulled:", "use `offload pull` to download them", found.not_pulled),
        ("Recorded but missing from the store:", "use `offload put PATH…` from a good copy to "
         "upload them again", found.missing_from_store or []),
    ]
    for title, hint, lines in sections:
        if lines:
            click.echo(f"{title}\n  ({hint})")
            click.echo("".join(f"\t{line}\n" for line in lines))
    if found.lock in LOCK_LINES:
        click.echo(f"{LOCK_LINES[found.lock]}\n  (use `git add offload.lock && git commit`)\n")
    for run in found.migrations:
        click.echo(f"{run.command} run {run.name} in progress (last phase: {run.phase})\n"
                   f"  (finish: `offload {run.command} run migrations/{run.name}.yaml`; undo: "
                   f"`offload {run.command} rollback migrations/{run.name}.yaml`)\n")
    if found.clean:
        click.echo("nothing to offload: every artifact is recorded, every asset pulled and "
                   "unchanged, offload.lock committed")
