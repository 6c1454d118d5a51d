"""Which documents can hold a reference at all: one byte search before any parse.

A reference that resolves to a migrated file, or that looks like an artifact (the hook's
``artifacts.include``), ends in a file-name extension. A document whose bytes hold none of those
extensions (a ``package-lock.json``, most code and prose) needs no parse. A dot written as a
percent-escape or a character reference (``a%2Epng``, ``a&#46;png``) may hide an extension, so
any ``%2E``, ``&#`` or ``&period;`` makes the document parsed too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_EXTENSION_GLOB = re.compile(r"\*(\.[A-Za-z0-9_+-]+)\Z")
_EXTENSION = re.compile(r"\.[A-Za-z0-9_+-]+\Z")
_NEVER = re.compile(b"(?!)")
_HIDDEN_DOT = rb"%2e|&#|&period;"


def reference_prefilter(include: Iterable[str], asset_paths: Iterable[str]
                        ) -> re.Pattern[bytes] | None:
    """One case-insensitive pattern of every extension; None when a name cannot be narrowed."""
    tokens: set[str] = set()
    for glob in include:
        found = _EXTENSION_GLOB.match(glob)
        if found is None:
            return None  # a folder or whole-name pattern: any document may name a match
        tokens.add(found.group(1).lower())
    for path in asset_paths:
        found = _EXTENSION.search(path.rsplit("/", 1)[-1])
        if found is None:
            return None
        tokens.add(found.group().lower())
    if not tokens:
        return _NEVER
    alternatives = b"|".join([*(re.escape(t.encode("ascii")) for t in sorted(tokens)),
                              _HIDDEN_DOT])
    return re.compile(alternatives, re.IGNORECASE)
