"""Object keys from ``key_template`` and public URLs from keys (SPEC §3)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

from offload.errors import ConfigError, UsageError

MAX_KEY_BYTES = 1024
MIN_HASH_DIGITS = 8  # fewer hex digits collide too easily to call a key content-addressed
_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\d+))?\}")
_NAMES = {"path", "dir", "stem", "ext", "name", "sha256", "size"}


def render_key(template: str, path: str, sha256: str, size: int) -> str:
    """Apply ``template`` to a repository path (posix, relative) and its content."""
    name = posixpath.basename(path)
    stem, ext = posixpath.splitext(name)
    values = {
        "path": path,
        "dir": posixpath.dirname(path),
        "stem": stem,
        "ext": ext,
        "name": name,
        "sha256": sha256,
        "size": str(size),
    }

    def substitute(match: re.Match[str]) -> str:
        field, width = match.group(1), match.group(2)
        if field not in _NAMES:
            raise ConfigError(
                f"key_template has an unknown placeholder {{{field}}}",
                f"use only {', '.join('{' + n + '}' for n in sorted(_NAMES))} in key_template",
            )
        value = values[field]
        if width is not None:
            if field != "sha256":
                raise ConfigError(
                    f"key_template: only {{sha256:N}} takes a width, not {{{field}:{width}}}",
                    "remove the width from that placeholder",
                )
            if int(width) < MIN_HASH_DIGITS:
                raise ConfigError(
                    f"key_template: {{sha256:{width}}} keeps too few hex digits to tell "
                    "versions apart",
                    f"use {{sha256:{MIN_HASH_DIGITS}}} or more (the default is {{sha256:12}}) "
                    "in key_template",
                )
            value = value[: int(width)]
        return value

    key = _PLACEHOLDER.sub(substitute, template)
    # An empty {dir} (a file at the repository root) must not leave a leading or double slash.
    key = re.sub(r"/{2,}", "/", key).lstrip("/")
    validate_key(key)
    return key


def is_content_addressed(template: str) -> bool:
    """True when every key holds one content for ever: the template has a long enough hash.

    Other keys are written with a conditional create, so no version overwrites another.
    """
    return any(m.group(1) == "sha256" and (m.group(2) is None or int(m.group(2)) >= MIN_HASH_DIGITS)
               for m in _PLACEHOLDER.finditer(template))


def validate_key(key: str) -> str:
    if not key:
        raise UsageError("the object key is empty", "check key_template in offload.yaml")
    if key.startswith("/"):
        raise UsageError(f"object key {key!r} starts with '/'", "keys are relative; fix the path")
    if any(seg == ".." for seg in key.split("/")):
        raise UsageError(
            f"object key {key!r} contains a '..' segment",
            "use a path inside the repository (no '..')",
        )
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        raise UsageError(
            f"object key {key!r} contains a control character",
            "rename the file so its path has no control characters (newline, tab, …)",
        )
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise UsageError(
            f"object key is longer than {MAX_KEY_BYTES} bytes",
            "shorten the path or key_template",
        )
    return key


def public_url(base: str, key: str) -> str:
    """``base`` + ``/`` + the key, percent-encoded per path segment."""
    encoded = "/".join(quote(seg, safe="-._~!$'()*,;=:@&") for seg in key.split("/"))
    return base.rstrip("/") + "/" + encoded
