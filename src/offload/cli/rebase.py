"""`offload rebase-urls plan|run|verify|rollback`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option

PLAN_ARG = click.argument("plan", type=click.Path(path_type=Path, dir_okay=False))


@click.group(name="rebase-urls", epilog=examples(
    "offload rebase-urls plan --from https://pub-….r2.dev/prod --to https://cdn.example.com/prod",
    "offload rebase-urls run migrations/0002-rebase-urls.yaml"))
def rebase_urls() -> None:
    """Move every public URL from one base to another (new domain, moved bucket): plan, run
    (history or tip), verify, rollback — like `offload migrate`, keys and objects untouched."""


@rebase_urls.command(epilog=examples(
    "offload rebase-urls plan --from https://pub-….r2.dev/prod --to https://cdn.example.com/prod"))
@click.option("--from", "old", required=True, help="the public URL base to move away from")
@click.option("--to", "new", required=True, help="the new public URL base")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="plan file (default migrations/NNNN-rebase-urls.yaml)")
@json_option
def plan(old: str, new: str, output: Path | None, as_json: bool) -> None:
    """Write the plan: file versions to rewrite and every other mention of the old base."""
    from offload.rebase.plan import make_plan
    from offload.workspace import Workspace

    path, data = make_plan(Workspace.discover(), old, new, output)
    if as_json:
        emit_json({"plan": str(path), **data["summary"]})
        return
    for row in data["left_alone"]:
        click.echo(f"left alone  {row['file']}:{row['line']}  {row['text']}")
    counts = ", ".join(f"{n} {k}" for k, n in data["summary"]["versions_to_rewrite"].items())
    click.echo(f"plan written to {path}: rewrites {counts or 'nothing'}; "
               f"{len(data['left_alone'])} mention(s) left alone")
    click.echo(f"next: review it, then `offload rebase-urls run {path}`")


@rebase_urls.command(epilog=examples(
    "offload rebase-urls run migrations/0002-rebase-urls.yaml",
    "offload rebase-urls run migrations/0002-rebase-urls.yaml --mode tip"))
@PLAN_ARG
@click.option("--mode", type=click.Choice(["history", "tip"]), default="history",
              show_default=True)
@click.option("--force", is_flag=True, help="history mode outside a fresh clone")
@click.option("--copy-to", "copy_to", metavar="STORE",
              help="first copy every referenced object to this store (a store: form), verified")
@json_option
def run(plan: Path, mode: str, force: bool, copy_to: str | None, as_json: bool) -> None:
    """Rewrite the URLs (every commit, or one new commit with --mode tip); never pushes."""
    from offload.rebase.run import run_rebase
    from offload.workspace import Workspace

    result = run_rebase(Workspace.discover(), plan, mode, force, copy_to)
    _finish(result, as_json)


@rebase_urls.command(epilog=examples(
    "offload rebase-urls verify migrations/0002-rebase-urls.yaml"))
@PLAN_ARG
@json_option
def verify(plan: Path, as_json: bool) -> None:
    """Check that no rewritable file of the plan's refs still names the old base."""
    from offload.rebase.verify import verify_plan_file
    from offload.workspace import Workspace

    report = verify_plan_file(Workspace.discover(), plan)
    if as_json:
        emit_json(report)
    for row in report["left_behind"] if not as_json else []:
        click.echo(f"FAIL {row['file']} at {row['commit'][:12]} still names the old base")
    if not as_json:
        click.echo("ok" if report["ok"] else f"{len(report['left_behind'])} file version(s) "
                   "left behind")
    _raise_unless_ok(report)


@rebase_urls.command(epilog=examples(
    "offload rebase-urls rollback migrations/0002-rebase-urls.yaml"))
@PLAN_ARG
@json_option
def rollback(plan: Path, as_json: bool) -> None:
    """Restore every ref the run changed, exactly."""
    from offload.rebase.rollback import rollback_rebase
    from offload.workspace import Workspace

    result = rollback_rebase(Workspace.discover(), plan)
    if as_json:
        emit_json(result)
        return
    click.echo(f"restored {len(result['restored'])} ref(s)")


def _finish(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(result)
    else:
        for row in result["left_alone"]:
            click.echo(f"left alone  {row['file']}:{row['line']}  {row['text']}")
        rewritten = ", ".join(f"{n} {k}" for k, n in result["versions_rewritten"].items())
        click.echo(f"rewrote {rewritten or 'nothing'}; verification "
                   f"{'ok' if result['verification']['ok'] else 'FAILED'}")
        if "copied" in result:
            copied = result["copied"]
            click.echo(f"copied {copied['copied']} of {copied['objects']} object(s) to "
                       f"{copied['store']}")
        for command in result["push_commands"]:
            click.echo(f"push with: {command}")
    _raise_unless_ok(result["verification"])


def _raise_unless_ok(report: dict[str, Any]) -> None:
    from offload.errors import FindingsError

    if not report["ok"]:
        raise FindingsError(
            f"{len(report['left_behind'])} rewritable file version(s) still name the old base",
            "run `offload rebase-urls plan` again for the refs as they are now, then run it",
        )
