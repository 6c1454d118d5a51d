"""Long lists in a plan file: one JSON object a line, inside ordinary YAML.

A plan of a large history holds hundreds of thousands of rows (objects, references). Written
and read through YAML's node graph they cost minutes and gigabytes; as a block sequence of
flow mappings in JSON syntax (``- {"file": "a.md", "line": 3}``), which any YAML reader takes
as the same data, each row is one ``json`` call. The reader parses every such run of lines
with ``json`` and hands YAML only the rest; a line that is not JSON is left to YAML.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Collection
from typing import Any

LONG = 16  # lists of mappings at least this long are written one JSON row a line
_KEY_LINE = re.compile(r"^( *)([A-Za-z_][A-Za-z0-9_]*):\s*$")
_TOP_KEY = re.compile(r"()([A-Za-z_][A-Za-z0-9_]*):(\s|$)")


def dump_rows(data: dict[str, Any], dump: Any) -> str:
    """``dump(skeleton)`` is the YAML of ``data`` with its long lists of mappings (values of
    mapping keys) cut out; they are put back as JSON rows."""
    nonce = secrets.token_hex(8)
    cut: dict[str, list[Any]] = {}
    skeleton = _cut(data, nonce, cut)
    text: str = dump(skeleton)
    if not cut:
        return text
    out: list[str] = []
    token = re.compile(rf"^( *)([A-Za-z_][A-Za-z0-9_]*): (offload-rows-{nonce}-\d+)$")
    pasted = 0
    for line in text.splitlines():
        found = token.match(line)
        if found is None or found.group(3) not in cut:
            out.append(line)
            continue
        indent, key = found.group(1), found.group(2)
        out.append(f"{indent}{key}:")
        out += [f"{indent}- {_json(row)}" for row in cut[found.group(3)]]
        pasted += 1
    if pasted != len(cut):  # a list under a key written otherwise: plain YAML, slower
        fallback: str = dump(data)
        return fallback
    return "\n".join(out) + "\n"


def load_rows(text: str, load: Any, skip: Collection[str] = ()) -> Any:
    """``load`` (a YAML loader) over ``text`` with its JSON row runs parsed as JSON;
    top-level sections named in ``skip`` are read as empty mappings and row lists named there
    as ``section.key`` as empty lists (never parsed)."""
    nonce = secrets.token_hex(8)
    rows: dict[str, list[Any]] = {}
    lines = text.splitlines()
    out: list[str] = []
    top = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        key = _KEY_LINE.match(line) or _TOP_KEY.match(line)
        if key is None:
            continue
        if not key.group(1):
            top = key.group(2)
            if top in skip:
                out[-1] = f"{top}: {{}}"
                while i < len(lines) and _TOP_KEY.match(lines[i]) is None:
                    i += 1
                continue
        if key.re is _TOP_KEY:
            continue
        prefix = key.group(1) + "- {"
        end = i
        while end < len(lines) and lines[end].startswith(prefix):
            end += 1
        if end > i and f"{top}.{key.group(2)}" in skip:
            parsed: list[Any] | None = []
        else:
            parsed = _parse_run(lines[i:end], len(prefix) - 1) if end > i else None
        if parsed is None:
            continue
        name = f"offload-rows-{nonce}-{len(rows)}"
        rows[name] = parsed
        out[-1] = f"{key.group(1)}{key.group(2)}: {name}"
        i = end
    data = load("\n".join(out) + "\n")
    return _paste(data, rows) if rows else data


def _parse_run(lines: list[str], start: int) -> list[Any] | None:
    parsed = []
    for line in lines:
        try:
            row = json.loads(line[start:])
        except ValueError:
            return None
        if not isinstance(row, dict):
            return None
        parsed.append(row)
    return parsed


def _json(row: Any) -> str:
    text = json.dumps(row, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a name that is not UTF-8 (surrogate-escaped): escape it
        text = json.dumps(row)
    return text


def _cut(value: Any, nonce: str, cut: dict[str, list[Any]]) -> Any:
    """Long lists of mappings that are values of mappings (not inside lists) cut out."""
    if not isinstance(value, dict):
        return value
    new: dict[Any, Any] = {}
    for key, item in value.items():
        if isinstance(key, str) and _is_long(item):
            name = f"offload-rows-{nonce}-{len(cut)}"
            cut[name] = item
            new[key] = name
        else:
            new[key] = _cut(item, nonce, cut)
    return new


def _is_long(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= LONG and \
        all(isinstance(row, dict) for row in value)


def _paste(value: Any, rows: dict[str, list[Any]]) -> Any:
    if isinstance(value, str) and value in rows:
        return rows[value]
    if isinstance(value, dict):
        return {key: _paste(item, rows) for key, item in value.items()}
    if isinstance(value, list):
        return [_paste(item, rows) for item in value]
    return value
