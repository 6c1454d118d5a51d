"""Which keys offload.yaml may hold, and the store forms it understands.

A typo must not silently fall back to a default (``stroe:`` used the local store while URLs
pointed at a bucket that never got the objects), so unknown keys are refused with the closest
known one, and a store that looks like a URL of an unknown form is refused rather than taken
for a folder called ``s3:``.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from offload.errors import ConfigError

SECTIONS: dict[str, frozenset[str] | None] = {
    "store": None, "public_url": None, "key_template": None, "transport": None,
    "artifacts": frozenset({"include", "max_bytes", "allow"}),
    "references": frozenset({"rewrite", "report", "site_roots"}),
    "s3": frozenset({"endpoint_url", "region", "addressing_style"}),
    "watch": None,  # its keys are checked with the watch settings they configure
}
STORE_FORMS = "s3://bucket[/prefix], rclone:REMOTE:bucket[/prefix], file:///abs/path or a path"
_SCHEME_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def check_keys(raw: dict[str, Any], where: str) -> None:
    _refuse_unknown(raw, SECTIONS, "", where)
    for section, keys in SECTIONS.items():
        value = raw.get(section)
        if keys is not None and isinstance(value, dict):
            _refuse_unknown(value, keys, f"{section}.", where)


def _refuse_unknown(mapping: dict[Any, Any], known: Any, prefix: str, where: str) -> None:
    for key in mapping:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean `{prefix}{close[0]}`?" if close else \
            f"known keys here: {', '.join(prefix + k for k in sorted(known))}"
        raise ConfigError(f"{where}: unknown setting `{prefix}{key}`",
                          f"{hint} (fix it in {where})")


def check_store(store: str, where: str) -> str:
    """A store string of a known form; a URL-looking string of another form is refused."""
    scheme = _SCHEME_LIKE.match(store)
    if store.startswith(("s3://", "rclone:", "file://")) or scheme is None:
        if store.startswith("s3://") and not store[5:].split("/", 1)[0]:
            raise ConfigError(f"{where}: store {store!r} names no bucket",
                              "write it as s3://bucket or s3://bucket/prefix")
        if store.startswith("rclone:") and store.count(":") < 2:
            raise ConfigError(f"{where}: store {store!r} must name a remote and a bucket",
                              "write it as rclone:REMOTE:bucket[/prefix] (remote from rclone.conf)")
        return store
    if len(scheme.group(1)) == 1:
        return store  # a Windows drive letter, C:\\…, is a path
    name = scheme.group(1).lower()
    rest = store[len(name) + 1:].lstrip("/")
    guess = f"s3://{rest}" if name == "s3" else f"rclone:{rest}" if name == "rclone" else None
    next_step = f"did you mean {guess!r}?" if guess else f"use one of: {STORE_FORMS}"
    raise ConfigError(f"{where}: store {store!r} is not a form offload knows "
                      f"({name}: is not s3://, rclone: or file://)", next_step)
