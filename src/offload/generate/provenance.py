"""Provenance as S3 object metadata: ASCII only, within S3's 2 KB user-metadata limit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

PREFIX = "offload-"
BUDGET = 1800  # bytes of keys + values; S3 allows 2 KB and we leave room for sha256
PROMPT_ROOM = 300  # kept for the start of the prompt when the references are many
# Printable ASCII except '%' stays readable; everything else is percent-encoded UTF-8.
_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "%")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def encode_value(value: Any) -> str:
    return quote(_text(value), safe=_SAFE)


def decode_value(value: str) -> str:
    return unquote(value)


def object_metadata(meta: Mapping[str, Any]) -> dict[str, str]:
    """``offload-<field>`` → percent-encoded value; a long prompt is cut, its sha256 kept."""
    out: dict[str, str] = {}
    for name, value in sorted(meta.items()):
        if value is None or name in ("prompt", "references"):
            continue
        out[_key(name)] = encode_value(value)
    if meta.get("references"):
        out.update(_references(meta["references"], BUDGET - PROMPT_ROOM - _used(out)))
    prompt = meta.get("prompt")
    if prompt is not None:
        text = _text(prompt)
        out[_key("prompt-sha256")] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        room = BUDGET - _used(out) - len(_key("prompt"))
        encoded = _truncate(text, room)
        if encoded is not None:
            out[_key("prompt")] = encoded
    return out


def _references(records: Any, room: int) -> dict[str, str]:
    """All records when they fit; else their sha256 (as many as fit) and how many there are."""
    full = encode_value(records)
    if len(_key("references")) + len(full) <= room:
        return {_key("references"): full}
    out = {_key("references-count"): str(len(records))}
    room -= _used(out) + len(_key("references-sha256"))
    hashes: list[str] = []
    for record in records:
        digest = str(record.get("sha256", "")) if isinstance(record, dict) else ""
        if len(",".join([*hashes, digest])) > room:
            break
        hashes.append(digest)
    if hashes:
        out[_key("references-sha256")] = ",".join(hashes)
    return out


def _used(out: Mapping[str, str]) -> int:
    return sum(len(k) + len(v) for k, v in out.items())


def _truncate(text: str, room: int) -> str | None:
    if room <= 0:
        return None
    encoded = encode_value(text)
    if len(encoded) <= room:
        return encoded
    pieces: list[str] = []
    used = len(encode_value("…"))
    for char in text:
        piece = encode_value(char)
        if used + len(piece) > room:
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces) + encode_value("…")


def _key(name: str) -> str:
    return PREFIX + name.lower().replace("_", "-")
