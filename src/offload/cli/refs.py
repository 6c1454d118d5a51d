"""offload refs."""

from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(epilog=examples(
    "offload refs",
    "offload refs docs/ --check",
    "offload refs --at v1.0 --json"))
@click.argument("paths", nargs=-1)
@click.option("--at", "at", metavar="REV", help="read documents and offload.lock at a commit")
@click.option("--check", is_flag=True, help="exit 1 when an image link points at nothing")
@json_option
def refs(paths: tuple[str, ...], at: str | None, check: bool, as_json: bool) -> None:
    """List every reference in documents (default: every references.rewrite file)."""
    from pathlib import Path

    from offload.errors import ExitCode
    from offload.ops.refs import list_references
    from offload.workspace import Workspace

    ws = Workspace.discover()
    wanted = [ws.repo_path(Path(p)) for p in paths]
    found = list_references(ws, wanted, at)
    broken = [r for r in found if r.broken]
    if as_json:
        emit_json({"references": [r.to_json() for r in found], "broken": len(broken)})
    else:
        for r in found:
            where = f"{r.file}:{r.line}:{r.column}"
            target = r.resolves_to if r.resolves_to is not None else "(outside the repository)"
            status = "BROKEN" if r.broken else r.status
            extra = f" -> {r.url}" if r.url else ""
            click.echo(f"{where}  {r.kind}  {r.target}  [{status}: {target}]{extra}")
        click.echo(f"{len(found)} reference(s), {len(broken)} broken", err=True)
    if check and broken:
        raise SystemExit(int(ExitCode.FINDINGS))
