"""offload check and offload fix."""

from __future__ import annotations

import sys

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option
from offload.verbosity import quiet


@click.command(epilog=examples(
    "offload check                  # the staged changes, as the hook does",
    "offload check --range origin/main..HEAD",
    "offload check --all --json"))
@click.option("--staged", "mode", flag_value="staged", default=True,
              help="the index: what the next commit adds (default)")
@click.option("--range", "range_spec", metavar="A..B",
              help="every commit of a range (CI, pre-push, pre-receive)")
@click.option("--all", "mode", flag_value="all", help="the tree at HEAD")
@json_option
def check(mode: str, range_spec: str | None, as_json: bool) -> None:
    """Find generated artifacts and credentials; exit 1 when any is found."""
    from offload.guard.hook import run_check

    where = "range" if range_spec else mode
    code = run_check(where, [range_spec] if range_spec else None, as_json, hook=False)
    sys.stdout.flush()
    if code:
        sys.exit(code)


@click.command(epilog=examples(
    "offload fix && git commit      # offload what the hook refused, commit again"))
@click.option("--jobs", "-j", default=8, show_default=True, help="parallel uploads")
@json_option
def fix(jobs: int, as_json: bool) -> None:
    """Offload the staged artifacts: upload, unstage, ignore, rewrite staged references."""
    from offload.guard.fix import fix_staged
    from offload.workspace import Workspace

    result = fix_staged(Workspace.discover(), jobs=jobs)
    if as_json:
        emit_json(result.to_json())
    elif not quiet():
        click.echo(result.render())
    for message in result.warnings() + result.errors():
        click.echo(message, err=True)
    if result.blocked:
        sys.exit(1)
