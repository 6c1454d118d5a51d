"""Human-readable migration summaries (rich tables on stdout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.units import human_bytes


def print_plan(path: Path, data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    s = data["summary"]
    table = Table(title=f"migration plan {data['name']}", show_header=False)
    rows = [
        ("refs / commits", f"{s['refs']} / {s['commits']}"),
        ("objects (versions)", f"{s['objects']} ({s['versions']})"),
        ("bytes", human_bytes(s["bytes"])),
        ("missing locally", str(len(s["missing_locally"]))),
        ("already in store", str(s["already_in_store"])),
        ("references to rewrite", str(s["references"])),
        ("dangling references", str(s["dangling"])),
        ("mentions in scripts (listed only)", str(s["report_mentions"])),
        ("template references (listed, left alone)", str(s.get("template_references", 0))),
        ("artifact names in code (listed, left alone)", str(s.get("left_alone", 0))),
        ("corrupt LFS pointers", str(s["corrupt_pointers"])),
        ("documents not UTF-8 (left alone)", str(s["not_utf8"])),
    ]
    signed = s.get("signatures_dropped") or {}
    if signed.get("commits") or signed.get("tags"):
        rows.append(("signatures lost in history mode",
                     f"{signed['commits']} commit(s), {signed['tags']} tag(s)"))
    for root in s.get("site_roots") or []:
        rows.append(("site root (edit references.site_roots)", root))
    for name, value in rows:
        table.add_row(name, value)
    console = Console()
    console.print(table)
    if s.get("note"):
        console.print(s["note"])
    console.print(f"plan written to {path}\nreview it, then: offload migrate run {path}",
                  soft_wrap=True)


def print_result(result: dict[str, Any]) -> None:
    import click

    for key, value in result.items():
        if isinstance(value, dict | list):
            click.echo(f"{key}: {len(value)} item(s)")
        else:
            click.echo(f"{key}: {value}")
    for command in result.get("push_commands") or []:
        click.echo(f"  {command}")
    for problem in result.get("problems") or []:
        click.echo(f"  problem: {problem}")
