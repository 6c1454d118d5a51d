"""Shared output helpers: ``--json`` and plain lines.

Every JSON document offload prints is one object with ``kind`` (which command wrote it) and
``version`` (which offload); a command's list of results is inside it under ``items``.
Times in it are ISO-8601 UTC (``2026-11-30T07:45:08Z``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from offload.isotime import iso_utc

F = TypeVar("F", bound=Callable[..., Any])
ALIASES = {"watch-run": "watch"}  # `offload watch --once` runs `watch run`
_PRINTED: list[bool] = []  # a JSON document went to stdout in this process


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="machine-readable output")(func)


def emit_json(payload: Any, kind: str | None = None) -> None:
    """Print one JSON object: ``kind`` and ``version`` first, times in ISO-8601 UTC."""
    from offload import __version__

    body = payload if isinstance(payload, dict) else {"items": payload}
    head = {"kind": body.get("kind") or kind or command_kind(), "version": __version__}
    document = {**head, **{k: v for k, v in body.items() if k not in head}}
    if "version" in body:  # a payload's own "version" (e.g. a generated version) wins
        document["version"] = body["version"]
    click.echo(json.dumps(iso_times(document), ensure_ascii=False, indent=None))
    _PRINTED.append(True)


def json_printed() -> bool:
    """A command that failed after printing its result (``migrate verify`` finding problems)
    prints no second document: stdout stays one JSON object, the error goes to stderr."""
    return bool(_PRINTED)


def command_kind() -> str:
    """``migrate run`` → ``migrate-run``: the subcommand path of the running command."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return "offload"
    words = ctx.command_path.split()[1:]
    name = "-".join(words) or "offload"
    return ALIASES.get(name, name)


def is_time_key(key: str) -> bool:
    return key.endswith("_at") or key in ("at", "date", "modified", "committed", "created")


def iso_times(value: Any, key: str = "") -> Any:
    """``value`` with every time (epoch number, datetime, ISO text with an offset) as
    ``YYYY-MM-DDTHH:MM:SSZ``; other values unchanged."""
    if isinstance(value, dict):
        return {k: iso_times(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [iso_times(v, key) for v in value]
    if isinstance(value, datetime) or (key and is_time_key(key)):
        return iso_utc(value)
    return value
