"""Shared output helpers: ``--json`` and plain lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="machine-readable output")(func)


def emit_json(payload: Any) -> None:
    """Print one JSON document; an object says which offload version wrote it."""
    if isinstance(payload, dict) and "version" not in payload:
        from offload import __version__

        payload = {**payload, "version": __version__}
    click.echo(json.dumps(payload, ensure_ascii=False, indent=None))
