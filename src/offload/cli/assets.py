"""put, get, pull, ls, url, verify."""

from __future__ import annotations

from pathlib import Path

import click

from offload.cli.output import emit_json, json_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--untrack", is_flag=True, help="also remove from the index and ignore them")
@click.option("--jobs", "-j", default=8, show_default=True, help="parallel uploads")
@json_option
def put(paths: tuple[Path, ...], untrack: bool, jobs: int, as_json: bool) -> None:
    """Upload files (or folders), record them in offload.lock, print their URLs."""
    from offload.ops.put import put_paths
    from offload.ops.put import untrack as untrack_paths
    from offload.workspace import Workspace

    ws = Workspace.discover()
    entries = put_paths(ws, list(paths), jobs=jobs)
    if untrack:
        untrack_paths(ws, [e.path for e in entries])
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    for entry in entries:
        click.echo(f"{entry.path}\t{entry.url or entry.key}")


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="folder to write into (default: the asset's place in the work tree)")
@json_option
def get(targets: tuple[str, ...], out_dir: Path | None, as_json: bool) -> None:
    """Download assets by path or URL and verify their sha256."""
    from offload.ops.fetch import get as get_assets
    from offload.workspace import Workspace

    results = get_assets(Workspace.discover(), list(targets), out_dir)
    if as_json:
        emit_json([{**e.to_json(), "written": str(p)} for e, p in results])
        return
    for entry, dest in results:
        click.echo(f"{entry.path} -> {dest}")


@click.command()
@click.argument("globs", nargs=-1)
@json_option
def pull(globs: tuple[str, ...], as_json: bool) -> None:
    """Materialise manifest assets into the work tree (git-ignored)."""
    from offload.ops.fetch import pull as pull_assets
    from offload.workspace import Workspace

    results = pull_assets(Workspace.discover(), list(globs))
    if as_json:
        emit_json([{**e.to_json(), "written": str(p)} for e, p in results])
        return
    click.echo(f"pulled {len(results)} file(s)")


@click.command(name="ls")
@click.argument("glob", required=False)
@click.option("--approved", is_flag=True, help="only the approved version of each family")
@json_option
def ls(glob: str | None, approved: bool, as_json: bool) -> None:
    """List manifest entries."""
    import fnmatch

    from offload.workspace import Workspace

    entries = [e for e in Workspace.discover().manifest.entries()
               if (glob is None or fnmatch.fnmatch(e.path, glob))
               and (not approved or e.meta.get("approved") is True)]
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    for entry in entries:
        click.echo(f"{entry.size:>12}  {entry.path}\t{entry.url or entry.key}")


@click.command()
@click.argument("path")
@json_option
def url(path: str, as_json: bool) -> None:
    """Print the public URL of one asset."""
    from offload.ops.fetch import find_entry
    from offload.workspace import Workspace

    ws = Workspace.discover()
    entry = find_entry(ws, path)
    link = ws.require_url(entry.key)
    if as_json:
        emit_json({"path": entry.path, "url": link, "key": entry.key})
        return
    click.echo(link)


@click.command()
@click.option("--all", "across_history", is_flag=True, help="every offload.lock in history")
@click.option("--jobs", "-j", default=8, show_default=True)
@json_option
def verify(across_history: bool, jobs: int, as_json: bool) -> None:
    """Check every manifest entry exists in the store with its size and sha256."""
    from offload.errors import FindingsError
    from offload.ops.verify import entries_across_history, verify_entries
    from offload.workspace import Workspace

    ws = Workspace.discover()
    entries = entries_across_history(ws) if across_history else ws.manifest.entries()
    problems = verify_entries(ws.backend, entries, jobs)
    checked = len({(e.key, e.sha256, e.size) for e in entries})
    if as_json:
        emit_json({"checked": checked, "problems": [p.to_json() for p in problems],
                   "ok": not problems})
    else:
        for problem in problems:
            click.echo(f"FAIL {problem.path} ({problem.key}): {problem.reason}")
        click.echo(f"checked {checked} object(s), {len(problems)} problem(s)")
    if problems:
        raise FindingsError(f"{len(problems)} manifest entr(y/ies) failed verification",
                            "re-upload the listed files with `offload put PATH` from good copies")
