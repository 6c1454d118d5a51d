"""`offload gc`."""

from __future__ import annotations

from pathlib import Path

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(name="gc", epilog=examples(
    "offload gc --dry-run",
    "offload gc --older-than 30d --repo ../other-clone"))
@click.option("--dry-run", is_flag=True, help="list the garbage, delete nothing")
@click.option("--older-than", default="7d", show_default=True,
              help="never touch anything newer than this (s, m, h, d, w)")
@click.option("--all-repos-listed", is_flag=True,
              help="confirm every repository using this (shared) store is this one or a --repo")
@click.option("--repo", "other_repos", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="another repository whose references must be kept too (repeatable)")
@json_option
def gc(dry_run: bool, older_than: str, all_repos_listed: bool, other_repos: tuple[Path, ...],
       as_json: bool) -> None:
    """Remove store objects no commit references, stale temp files, incomplete multipart
    uploads and orphan generation claims — never anything a commit references."""
    from offload.errors import StoreError
    from offload.gc.plan import parse_age
    from offload.gc.run import run_gc
    from offload.units import human_bytes
    from offload.workspace import Workspace

    age = parse_age(older_than)
    report = run_gc(Workspace.discover(), age, dry_run, all_repos_listed, list(other_repos))
    if as_json:
        emit_json(report.to_json())
    else:
        verb = "would remove" if dry_run else "removed"
        done = report.sorting.garbage if dry_run else report.deleted
        for item in done:
            click.echo(f"{verb} {item.kind}\t{item.key}\t{human_bytes(item.size)}")
        for item, error in report.failed:
            click.echo(f"FAILED {item.kind}\t{item.key}: {error}", err=True)
        kept = report.sorting
        click.echo(f"{verb} {len(done)} item(s); kept {kept.referenced} referenced, "
                   f"{kept.too_young} newer than {older_than}, {kept.claims_kept} claim(s); "
                   f"{len(report.refs.keys)} key(s) referenced by "
                   f"{report.refs.lock_versions} offload.lock version(s) in history and "
                   f"{report.refs.worktree_locks} in worktrees")
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        if report.log_path:
            click.echo(f"log: {report.log_path}")
    if report.failed:
        raise StoreError(f"{len(report.failed)} item(s) could not be removed",
                         "rerun gc; see the FAILED lines for the store's answer")
