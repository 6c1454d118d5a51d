"""The ``artifacts:`` rules of offload.yaml, read without yaml for the hook path.

Only a plain subset is understood (top-level ``key: value`` lines, an ``artifacts:`` block with
flow or block lists of scalars and an integer ``max_bytes``). Anything else is handed to the
full loader, which either reads it or raises a ConfigError naming the line — never a traceback.
"""

from __future__ import annotations

import os

DEFAULT_INCLUDE = (
    "*.png", "*.jpg", "*.jpeg", "*.webp", "*.gif", "*.mp4", "*.mov", "*.glb", "*.fbx",
    "*.exr", "*.psd", "*.wav",
)
DEFAULT_MAX_BYTES = 1024 * 1024


class Rules:
    __slots__ = ("allow", "include", "max_bytes", "source")

    def __init__(self, include: tuple[str, ...] = DEFAULT_INCLUDE,
                 max_bytes: int = DEFAULT_MAX_BYTES, allow: tuple[str, ...] = (),
                 source: str | None = None) -> None:
        self.include, self.max_bytes, self.allow, self.source = include, max_bytes, allow, source


class Unsupported(Exception):
    """The fast reader cannot vouch for this file; use the full loader."""


def find_config(toplevel: str, common_dir: str) -> str | None:
    candidates = [toplevel]
    if os.path.basename(common_dir) == ".git":
        candidates.append(os.path.dirname(common_dir))
    for root in candidates:
        path = os.path.join(root, "offload.yaml")
        if os.path.isfile(path):
            return path
    return None


def load_rules(path: str) -> Rules:
    """Rules from ``path``; raises offload's ConfigError when the file is broken."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        return parse_artifacts(text, path)
    except (Unsupported, UnicodeDecodeError, OSError):
        return _full_loader(path)


def parse_artifacts(text: str, source: str | None = None) -> Rules:
    """Check every line against the subset; keep the ``artifacts:`` section."""
    sections: dict[str, dict[str, object]] = {}
    section: dict[str, object] | None = None
    current: list[object] | None = None  # the block list being collected
    for raw in text.split("\n"):
        line = _strip_comment(raw).rstrip()
        if not line.strip() or line.strip() == "---":
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise Unsupported
        if not line.startswith(" "):
            key, value = _key_value(line)
            current = None
            section = sections.setdefault(key, {}) if not value else None
            if value:
                _value(value)
            continue
        body = line.strip()
        if body.startswith("- ") and current is not None:
            current.append(_scalar(body[2:].strip()))
            continue
        if section is None:
            raise Unsupported
        key, value = _key_value(body)
        current = None
        if value:
            section[key] = _value(value)
        else:
            current = []
            section[key] = current
    return _rules(sections.get("artifacts", {}), source)


def _rules(section: dict[str, object], source: str | None) -> Rules:
    include, allow = section.get("include", DEFAULT_INCLUDE), section.get("allow", [])
    max_bytes = section.get("max_bytes", DEFAULT_MAX_BYTES)
    if not isinstance(include, (list, tuple)) or not isinstance(allow, list):
        raise Unsupported
    if not isinstance(max_bytes, int) or max_bytes < 0:
        raise Unsupported
    if not all(isinstance(v, str) for v in (*include, *allow)):
        raise Unsupported
    return Rules(tuple(str(v) for v in include), max_bytes, tuple(str(v) for v in allow), source)


def _strip_comment(line: str) -> str:
    if "#" not in line:
        return line
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _key_value(line: str) -> tuple[str, str]:
    key, sep, value = line.partition(":")
    if not sep or not key or not (key.replace("_", "").replace("-", "").isalnum()):
        raise Unsupported
    if value and not value.startswith(" "):
        raise Unsupported
    return key, value.strip()


def _value(value: str) -> object:
    if value.startswith("["):
        if not value.endswith("]"):
            raise Unsupported
        inner = value[1:-1].strip()
        return [_scalar(item.strip()) for item in _split_flow(inner)] if inner else []
    if value.startswith(("{", "&", "*", "!", "|", ">")):
        raise Unsupported
    return _scalar(value)


def _split_flow(inner: str) -> list[str]:
    items, quote, start = [], "", 0
    for i, ch in enumerate(inner):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[]{}":
            raise Unsupported
        elif ch == ",":
            items.append(inner[start:i])
            start = i + 1
    if quote:
        raise Unsupported
    tail = inner[start:]
    if tail.strip():
        items.append(tail)
    return items


def _scalar(token: str) -> object:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        body = token[1:-1]
        if token[0] in body or "\\" in body:
            raise Unsupported
        return body
    if not token or token[0] in "\"'[]{}&*!|>%@`":
        raise Unsupported
    digits = token.replace("_", "")
    if digits.isdigit() and digits.isascii():
        return int(digits)
    if token.lower() in ("null", "~", "true", "false", "yes", "no", "on", "off"):
        raise Unsupported
    if ": " in token or token.endswith(":"):
        raise Unsupported
    return token


def _full_loader(path: str) -> Rules:
    from pathlib import Path

    from offload.config.load import load_config
    from offload.git.repo import RepoPaths

    root = Path(path).parent
    rules = load_config(RepoPaths(toplevel=root, git_dir=root, common_dir=root)).artifacts
    return Rules(rules.include, rules.max_bytes, rules.allow, path)
