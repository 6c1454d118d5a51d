"""offload demo [DIR]."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(epilog=examples(
    "offload demo",
    "offload demo /tmp/offload-demo"))
@click.argument("directory", required=False,
                type=click.Path(path_type=Path, file_okay=False))
@json_option
def demo(directory: Path | None, as_json: bool) -> None:
    """Build a sample LFS production repository in DIR and migrate it to the local store.

    DIR (default ./offload-demo) must be new or empty. It receives `origin.git` (the remote,
    also the file:// LFS server) and `film` (a fresh clone, migrated in place).
    """
    from offload.migrate.demo.run import run_demo

    target = (directory or Path("offload-demo")).resolve()
    click.echo(f"building the sample repository in {target} …", err=True)
    report = run_demo(target)
    if as_json:
        emit_json(report)
        return
    _print(report)


def _print(report: dict[str, Any]) -> None:
    from offload.units import human_bytes

    before, after = report["before"], report["after"]
    rows = [
        ("plan", report["plan"]),
        ("store", report["store"]),
        ("commits rewritten", str(report["commits"])),
        ("bytes moved to the store", f"{human_bytes(report['bytes_moved'])} "
                                     f"({report['objects']} objects)"),
        ("git pack, before → after", f"{human_bytes(before['pack_bytes'])} → "
                                      f"{human_bytes(after['pack_bytes'])}"),
        ("LFS objects, before → after", f"{human_bytes(before['lfs_bytes'])} → "
                                         f"{human_bytes(after['lfs_bytes'])}"),
        ("references rewritten", str(report["references_rewritten"])),
        ("dangling references (listed)", str(report["dangling_references"])),
        ("verification", "ok" if report["verified"] else "FAILED"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name:<{width}}  {value}")
    repo = report["repository"]
    click.echo("\nsizes: `git count-objects -v` of a gc'd copy of the branches and tags")
    click.echo(f"look:  cd {shlex.quote(repo)} && git log --stat && git show HEAD:README.md")
    click.echo("       offload serve   # the asset gallery at http://127.0.0.1:8765/")
