"""Times as offload writes them: ISO-8601 UTC to the second, ``2026-11-30T07:45:08Z``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def now_utc() -> str:
    return datetime.now(UTC).strftime(FORMAT)


def iso_utc(value: Any) -> Any:
    """An epoch number, aware datetime or ISO text as ``…Z``; anything else unchanged."""
    moment: datetime | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, UTC)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if moment is None or moment.tzinfo is None:
        return value if moment is None else moment.isoformat(timespec="seconds")
    return moment.astimezone(UTC).strftime(FORMAT)
