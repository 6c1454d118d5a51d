"""offload migrate plan | run | verify | rollback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option
from offload.verbosity import quiet


@click.group(epilog=examples(
    "offload migrate plan",
    "offload migrate run migrations/0001-lfs-to-store.yaml",
    "offload migrate verify migrations/0001-lfs-to-store.yaml"))
def migrate() -> None:
    """Move the LFS history into the store and rewrite references (SPEC §5)."""


@migrate.command(epilog=examples(
    "offload migrate plan",
    "offload migrate plan --include-plain --refs branches"))
@click.option("--include-plain", is_flag=True, help="also migrate plain (non-LFS) binaries")
@click.option("--refs", "refs", type=click.Choice(["all", "branches"]), default="all",
              show_default=True, help="branches and tags, or branches only")
@click.option("--recipe", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="a recipe file (default: the shipped lfs-to-store.yaml)")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="plan file to write (default: migrations/NNNN-<recipe>.yaml)")
@json_option
def plan(include_plain: bool, refs: str, recipe: Path | None, output: Path | None,
         as_json: bool) -> None:
    """Inventory the history and write a plan file to review."""
    from offload.migrate import plan_migration
    from offload.migrate.planfile import read_plan
    from offload.workspace import Workspace

    ws = Workspace.discover()
    path = plan_migration(ws, include_plain=include_plain, refs=refs, recipe=recipe,
                          output=output)
    data = read_plan(path)
    if as_json:
        emit_json({"plan": str(path), "summary": data["summary"],
                   "references": data["references"], "corrupt_pointers":
                   data["corrupt_pointers"], "skipped": data["skipped"]})
        return
    if quiet():
        return
    from offload.cli.migrate_report import print_plan

    print_plan(path, data)


@migrate.command(epilog=examples(
    "offload migrate run migrations/0001-lfs-to-store.yaml --dry-run",
    "offload migrate run migrations/0001-lfs-to-store.yaml",
    "offload migrate run migrations/0001-lfs-to-store.yaml --mode tip"))
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--mode", type=click.Choice(["history", "tip"]), default="history",
              show_default=True)
@click.option("--jobs", "-j", default=8, show_default=True, help="parallel uploads")
@click.option("--dry-run", is_flag=True, help="show what would happen; change nothing")
@click.option("--force", is_flag=True, help="history mode outside a fresh clone")
@click.option("--allow-missing", is_flag=True,
              help="record LFS objects missing everywhere and leave their references")
@click.option("--prune-backup", is_flag=True, help="delete refs/offload/backup/<plan>/ after")
@json_option
def run(plan_file: Path, mode: str, jobs: int, dry_run: bool, force: bool, allow_missing: bool,
        prune_backup: bool, as_json: bool) -> None:
    """Execute a plan: upload, rewrite history (or the tip), record the results."""
    from offload.migrate import run_migration
    from offload.workspace import Workspace

    result = run_migration(Workspace.discover(), plan_file, mode=mode, jobs=jobs,
                           dry_run=dry_run, force=force, allow_missing=allow_missing,
                           prune_backup=prune_backup)
    _show(result, as_json)
    _warn_local_urls(plan_file, result)
    checked = result.get("verification") or {}
    if checked.get("ok") is False:  # the refs moved: a script must not go on to push them
        from offload.errors import FindingsError

        raise FindingsError(f"the run's verification of {plan_file} found "
                            f"{checked.get('problem_count', 0)} problem(s), listed above",
                            _next_step(checked, plan_file))


def _warn_local_urls(plan_file: Path, result: dict[str, Any]) -> None:
    """The documents the plan rewrites now hold file:// URLs when the store is local."""
    from offload.guard.localurls import local_url_warning
    from offload.migrate.planfile import read_plan

    urls = [u for paths in (result.get("object_urls") or {}).values() for u in paths.values()]
    if not any(str(u).startswith("file:") for u in urls):
        return  # only a local store without public_url writes machine-local URLs
    rewrite = (read_plan(plan_file).get("references") or {}).get("rewrite") or []
    warning = local_url_warning([str(r["file"]) for r in rewrite], urls)
    if warning:
        click.echo(warning, err=True)


@migrate.command(epilog=examples(
    "offload migrate verify migrations/0001-lfs-to-store.yaml --deep"))
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--deep", is_flag=True,
              help="download every object and hash it (not only its size and sha256 metadata)")
@json_option
@click.option("--full", is_flag=True,
              help="walk every commit again, even those the run checked as it wrote them "
                   "(for a plan file that came from someone else)")
def verify(plan_file: Path, deep: bool, full: bool, as_json: bool) -> None:
    """Check a finished run: no pointers left, every URL stored, every reference right."""
    from offload.errors import FindingsError
    from offload.migrate import verify_migration
    from offload.workspace import Workspace

    result = verify_migration(Workspace.discover(), plan_file, deep=deep, full=full)
    _show(result, as_json)
    if not result["ok"]:
        raise FindingsError(f"verification of {plan_file} found {result['problem_count']} "
                            "problem(s), listed above", _next_step(result, plan_file))


def _next_step(result: dict[str, Any], plan_file: Path) -> str:
    steps = []
    if result.get("store_problems"):
        steps.append("objects missing or different in the store: delete any damaged one from "
                     f"the store, then `offload migrate rollback {plan_file}` and `offload "
                     f"migrate run {plan_file} --force` upload them again from .git/lfs/objects")
    if result.get("history_problems"):
        steps.append("commits still holding LFS pointers, migrated paths or another commit's "
                      "URLs: drop or fix the commits listed (made after the run?), or `offload "
                      f"migrate rollback {plan_file}` restores the original refs")
    return "; ".join(steps) or f"`offload migrate rollback {plan_file}` restores the original refs"


@migrate.command(epilog=examples(
    "offload migrate rollback migrations/0001-lfs-to-store.yaml"))
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@json_option
def rollback(plan_file: Path, as_json: bool) -> None:
    """Restore the refs the run backed up, exactly."""
    from offload.migrate import rollback_migration
    from offload.workspace import Workspace

    _show(rollback_migration(Workspace.discover(), plan_file), as_json)


def _show(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    if quiet():
        return
    from offload.cli.migrate_report import print_result

    print_result(result)
