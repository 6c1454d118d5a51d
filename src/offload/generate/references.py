"""Reference images: fetched, checked, labelled, and recorded as ``meta.references``.

Each record holds what is known of ``path``, ``url``, ``sha256``, ``version`` (and
``character`` for a character's turnaround). Entries written before the list existed carry one
``reference`` (its origin) and ``reference_sha256``; ``references_of`` reads both shapes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from offload.generate.fetch import Fetched, fetch
from offload.generate.provider import Reference, image_mime
from offload.workspace import Workspace

_NUMBERED = re.compile(r"^v(\d+)(?:\.[0-9a-f]{6,64})?\.[A-Za-z0-9]+$")


@dataclass(frozen=True)
class Resolved:
    fetched: Fetched
    reference: Reference
    record: dict[str, Any]


def resolve(ws: Workspace, target: str, character: str | None = None) -> Resolved:
    """Fetch ``target`` (manifest path, store or http(s) URL, file); refuse what is no image."""
    fetched = fetch(ws, target)
    mime = image_mime(fetched.data, f"the reference {fetched.origin}")
    record = reference_record(fetched, character)
    version = record.get("version")
    label = f"{character} v{version}" if character and version else ""
    return Resolved(fetched, Reference(fetched.data, mime, fetched.origin, label), record)


def reference_record(fetched: Fetched, character: str | None = None) -> dict[str, Any]:
    entry = fetched.entry
    remote = "://" in fetched.origin
    record: dict[str, Any] = {
        "path": entry.path if entry else (None if remote else fetched.origin),
        "url": (entry.url if entry else None) or (fetched.origin if remote else None),
        "sha256": hashlib.sha256(fetched.data).hexdigest(),
        "version": numbered_version(entry.path if entry else fetched.key or fetched.origin),
        "character": character,
    }
    return {k: v for k, v in record.items() if v is not None}


def numbered_version(path_or_url: str) -> int | None:
    """The N of a ``…/vN.png`` path (or its ``vN.<hash>.png`` key), else None."""
    name = path_or_url.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    match = _NUMBERED.match(name)
    return int(match.group(1)) if match else None


def references_of(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """``meta.references``, or the one old-style ``reference`` as a one-item list."""
    listed = meta.get("references")
    if isinstance(listed, list):
        return [r for r in listed if isinstance(r, dict)]
    origin = meta.get("reference")
    if not isinstance(origin, str) or not origin:
        return []
    record: dict[str, Any] = {"url" if "://" in origin else "path": origin}
    if isinstance(meta.get("reference_sha256"), str):
        record["sha256"] = meta["reference_sha256"]
    version = meta.get("parent") if isinstance(meta.get("parent"), int) else None
    version = version or numbered_version(origin)
    if version is not None:
        record["version"] = version
    return [record]
