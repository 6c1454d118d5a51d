"""Checks every offload.yaml value must pass, whichever section reads it later."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from offload.errors import ConfigError, redact

ENDPOINT_SCHEMES = ("http", "https")


def require_finite_numbers(data: Any, where: str) -> None:
    """Refuse ``.inf``/``.nan`` anywhere: no setting means "forever" or "undefined"."""
    seen: set[int] = set()  # aliases share objects: visit each once (and survive cycles)
    todo: list[tuple[str, Any]] = [("", data)]
    while todo:
        name, value = todo.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(
                f"{where}: `{name or 'value'}` is {value}; offload needs a finite number",
                f"write a plain number for `{name}` in {where} (or remove it for the default)",
            )
        if not isinstance(value, dict | list) or id(value) in seen:
            continue
        seen.add(id(value))
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        todo.extend((f"{name}.{key}" if name else str(key), item) for key, item in pairs)


R2_EXAMPLE = "https://<account>.r2.cloudflarestorage.com"


def check_endpoint_url(url: str, setting: str, where: str, example: str = R2_EXAMPLE) -> str:
    """An http(s) URL with a host and a valid port; the error never shows credentials."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        usable = parts.scheme in ENDPOINT_SCHEMES and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable:
        raise ConfigError(
            f"{where}: `{setting}` {shown_url(url)!r} is not an http(s) URL with a host",
            f"write {setting} with its scheme and host, e.g. {example} (credentials belong in "
            "the environment or rclone.conf, never in the URL)",
        )
    return url


def shown_url(url: str) -> str:
    """``url`` safe to print: no user:password, with or without a scheme."""
    if "://" not in url and "@" in url.split("/", 1)[0]:
        url = "***@" + url.split("/", 1)[0].rsplit("@", 1)[1] + url[len(url.split("/", 1)[0]):]
    return redact(url)
