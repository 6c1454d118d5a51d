"""Watch settings: the ``watch:`` section of offload.yaml, then command-line overrides."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

from offload.config.model import Config
from offload.errors import ConfigError

TEMP_PATTERNS = ("*.tmp", "*.part", "*.crdownload", "~*", ".*.swp", ".#*")

DAY = 86_400.0
# offload.yaml key -> (attribute, scale to the attribute's unit, minimum, maximum); the
# bounds are in the attribute's unit (seconds, jobs, KiB).
_KEYS: dict[str, tuple[str, float, float, float]] = {
    "settle_ms": ("settle", 0.001, 0.0, 3600.0),
    "max_wait_s": ("max_wait", 1.0, 0.0, DAY),
    "rescan_interval_s": ("rescan_interval", 1.0, 1.0, DAY),
    "jobs": ("jobs", 1.0, 1.0, 256.0),
    "retry_base_s": ("retry_base", 1.0, 0.01, 3600.0),
    "retry_max_s": ("retry_max", 1.0, 0.01, DAY),
    "poll_interval_s": ("poll_interval", 1.0, 0.05, 3600.0),
    "queue_max_kb": ("queue_max_kb", 1.0, 16.0, 1024.0**3),  # 1 TiB
}


@dataclass(frozen=True)
class WatchSettings:
    settle: float = 0.3  # seconds a file's size and mtime must stay unchanged
    max_wait: float = 60.0  # after this a candidate is handed over even if it keeps changing
    rescan_interval: float = 300.0
    jobs: int = 8
    retry_base: float = 0.5
    retry_max: float = 30.0
    poll_interval: float = 1.0
    queue_max_kb: int | None = None  # cap on the queue database (None: the disk is the limit)

    def override(self, **values: Any) -> WatchSettings:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def is_temp_name(name: str) -> bool:
    """Temp, partial and hidden names wait until they are renamed to their final name."""
    return name.startswith(".") or any(fnmatchcase(name, p) for p in TEMP_PATTERNS)


def load_watch_settings(config: Config) -> WatchSettings:
    section = _watch_section(config)
    values: dict[str, Any] = {}
    for key, raw in section.items():
        if key == "paths":
            continue
        if key not in _KEYS:
            raise ConfigError(
                f"offload.yaml: unknown setting watch.{key}",
                f"use only paths, {', '.join(sorted(_KEYS))} under `watch:`",
            )
        attr, scale, minimum, maximum = _KEYS[key]
        value = _scaled(raw, scale)
        if value is None or not minimum <= value <= maximum:
            shown = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:40] + "…"
            raise ConfigError(
                f"offload.yaml: watch.{key} must be a number from {minimum / scale:g} to "
                f"{maximum / scale:g} (got {shown})",
                f"fix watch.{key} in offload.yaml",
            )
        values[attr] = int(value) if attr in ("jobs", "queue_max_kb") else float(value)
    return WatchSettings(**values)


def _scaled(raw: Any, scale: float) -> float | None:
    """``raw`` in the attribute's unit, or None unless it is a finite number (.inf, .nan,
    10**400 and booleans are not)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        value = float(raw) * scale
    except OverflowError:
        return None
    return value if math.isfinite(value) else None


def _watch_section(config: Config) -> dict[str, Any]:
    if config.source is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(config.source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}  # load_config already validated the file; a race here is not ours to report
    section = data.get("watch") if isinstance(data, dict) else None
    return section if isinstance(section, dict) else {}
