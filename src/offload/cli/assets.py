"""put, get, pull, ls, url, verify."""

from __future__ import annotations

from pathlib import Path

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option
from offload.verbosity import quiet


@click.command(epilog=examples(
    "offload put outputs/ --untrack     # upload, record, stop tracking in git",
    "offload put shots/s1.png --json"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--untrack", is_flag=True, help="also remove from the index and ignore them")
@click.option("--jobs", "-j", default=8, show_default=True, help="parallel uploads")
@json_option
def put(paths: tuple[Path, ...], untrack: bool, jobs: int, as_json: bool) -> None:
    """Upload files (or folders), record them in offload.lock, print their URLs."""
    from offload.ops.put import put_paths
    from offload.ops.put import untrack as untrack_paths
    from offload.ops.tally import Tally
    from offload.workspace import Workspace

    ws = Workspace.discover()
    tally = Tally()
    entries = put_paths(ws, list(paths), jobs=jobs, tally=tally)
    if untrack:
        untrack_paths(ws, [e.path for e in entries])
    if as_json:
        emit_json({"items": [e.to_json() for e in entries], "summary": tally.to_json()})
        return
    if quiet():
        return
    for entry in entries:
        click.echo(f"{entry.path}\t{entry.url or entry.key}")
    click.echo(tally.line("put"), err=True)


@click.command(epilog=examples(
    "offload get characters/mira/turnaround/v2.png",
    "offload get characters/mira/turnaround/v2.png -o downloads/",
    "offload get shots/s1.png --force   # replace a copy changed locally"))
@click.argument("targets", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="folder to write into (default: the asset's place in the work tree)")
@click.option("--force", is_flag=True,
              help="replace files already there whose content differs from offload.lock")
@json_option
def get(targets: tuple[str, ...], out_dir: Path | None, force: bool, as_json: bool) -> None:
    """Download assets by path or URL and verify their sha256.

    A file already there with other content is left as it is (exit 1) unless --force.
    """
    from offload.ops.fetch import get as get_assets
    from offload.workspace import Workspace

    results = get_assets(Workspace.discover(), list(targets), out_dir, force)
    if as_json:
        emit_json({"items": [{**got.entry.to_json(), "written": str(got.dest),
                              "unchanged": not got.written} for got in results]})
        return
    if quiet():
        return
    for got in results:
        note = "" if got.written else " (already there, unchanged)"
        click.echo(f"{got.entry.path} -> {got.dest}{note}")


@click.command(epilog=examples(
    "offload pull",
    "offload pull 'scenes/*' --force"))
@click.argument("globs", nargs=-1)
@click.option("--force", is_flag=True,
              help="replace files whose content differs from offload.lock (else left, exit 1)")
@json_option
def pull(globs: tuple[str, ...], force: bool, as_json: bool) -> None:
    """Materialise manifest assets into the work tree (git-ignored)."""
    from offload.ops.fetch import pull as pull_assets
    from offload.ops.tally import FETCH, Tally
    from offload.workspace import Workspace

    tally = Tally(FETCH)
    results = pull_assets(Workspace.discover(), list(globs), force, tally)
    if as_json:
        emit_json({"items": [{**e.to_json(), "written": str(p)} for e, p in results],
                   "summary": tally.to_json()})
        return
    if not quiet():
        click.echo(tally.line("pull"))


@click.command(name="ls", epilog=examples(
    "offload ls outputs/",
    "offload ls 'characters/*/turnaround/*' --json"))
@click.argument("pattern", metavar="[FOLDER|GLOB]", required=False)
@click.option("--approved", is_flag=True, help="only the approved version of each family")
@json_option
def ls(pattern: str | None, approved: bool, as_json: bool) -> None:
    """List manifest entries: all, those under a folder, or those matching a glob.

    Sizes are human-readable in the table and exact bytes in --json.
    """
    from offload.units import human_bytes
    from offload.workspace import Workspace

    entries = [e for e in Workspace.discover().manifest.entries()
               if (pattern is None or _listed(e.path, pattern))
               and (not approved or e.meta.get("approved") is True)]
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    for entry in entries:
        click.echo(f"{human_bytes(entry.size):>10}  {entry.path}\t{entry.url or entry.key}")


def _listed(path: str, pattern: str) -> bool:
    """``pattern`` (a glob or a folder, with or without a trailing ``/``) matches ``path`` or
    one of the folders it is in."""
    import fnmatch

    pattern = pattern.removeprefix("./").strip("/")
    if not pattern or fnmatch.fnmatch(path, pattern):
        return True
    folders = path.split("/")[:-1]
    return any(fnmatch.fnmatch("/".join(folders[:depth]), pattern)
               for depth in range(1, len(folders) + 1))


@click.command(epilog=examples(
    "offload url characters/mira/turnaround/v3.png"))
@click.argument("path")
@json_option
def url(path: str, as_json: bool) -> None:
    """Print the public URL of one asset."""
    from offload.errors import FindingsError, UsageError
    from offload.ops.fetch import find_entry
    from offload.workspace import Workspace

    ws = Workspace.discover()
    try:
        entry = find_entry(ws, path)
    except UsageError as exc:  # a path that is not recorded is a finding (exit 1)
        raise FindingsError(exc.message, exc.next_step) from None
    link = ws.require_url(entry.key)
    if as_json:
        emit_json({"path": entry.path, "url": link, "key": entry.key})
        return
    click.echo(link)


@click.command(epilog=examples(
    "offload verify",
    "offload verify --all --deep --jobs 4"))
@click.option("--all", "across_history", is_flag=True, help="every offload.lock in history")
@click.option("--deep", is_flag=True,
              help="download and hash every object (remote stores; the local store is always "
                   "hashed)")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="parallel checks [default: 8; local store: one per CPU, at most 8]")
@json_option
def verify(across_history: bool, deep: bool, jobs: int | None, as_json: bool) -> None:
    """Check every manifest entry is in the store with its size and content.

    The local store is checked by content (every object hashed). Remote stores are checked by
    metadata (size, recorded sha256, ETag against the MD5 recorded at upload) unless --deep.
    """
    from offload.errors import ExitCode, FindingsError
    from offload.ops.verify import CONTENT, entries_across_history, verify_entries
    from offload.workspace import Workspace

    ws = Workspace.discover()
    entries = entries_across_history(ws) if across_history else ws.manifest.entries()
    report = verify_entries(ws.backend, entries, jobs, deep, _scratch_dir(ws.repo.offload_dir))
    if as_json:
        emit_json(report.to_json())
        if report.problems:  # one JSON document: the report already lists every problem
            raise SystemExit(ExitCode.FINDINGS)
        return
    for problem in report.problems:
        click.echo(f"FAIL {problem.path} ({problem.key}): {problem.reason}")
    how = ("by content: every object hashed" if report.check == CONTENT else
           "by metadata: size, sha256 and ETag the store reports; --deep hashes content")
    click.echo(f"checked {report.checked} object(s) {how}; {len(report.problems)} problem(s)")
    if report.problems:
        raise FindingsError(
            f"{len(report.problems)} object(s) failed verification",
            "restore each listed object from a good copy: delete it from the store, then "
            "`offload put PATH` (put skips objects whose recorded size and sha256 already match)")


def _scratch_dir(folder: Path) -> Path | None:
    """Downloads being hashed are staged beside the repository, not in a RAM-backed /tmp."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
