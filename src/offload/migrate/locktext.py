"""offload.lock of a rewritten commit, built from lines rendered once per (path, blob)."""

from __future__ import annotations

import contextlib
import hashlib

from offload.migrate.inventory import Asset
from offload.migrate.recipe import Rules, key_for
from offload.workspace import Workspace


class LockBuilder:
    """offload.lock text for the assets of one commit, merged over the commit's own lock.

    A line depends only on (path, blob), and an original lock only on its bytes: both are
    rendered once, so each commit costs a dict merge and one sorted join."""

    def __init__(self, ws: Workspace, rules: Rules, assets: dict[str, Asset]) -> None:
        self.ws = ws
        self.rules = rules
        self.assets = assets
        self.lines: dict[tuple[str, str], str] = {}
        self.originals: dict[bytes, dict[str, str]] = {}

    def line(self, path: str, blob: str) -> str:
        found = self.lines.get((path, blob))
        if found is None:
            from offload.manifest import Entry
            from offload.ops.put import content_type_for

            a = self.assets[blob]
            key = key_for(self.rules, path, a.sha256, a.size)
            found = Entry(path=path, size=a.size, sha256=a.sha256, key=key,
                          url=self.ws.url_for(key), content_type=content_type_for(path),
                          source="migrate").to_line() + "\n"
            self.lines[(path, blob)] = found
        return found

    def original_lines(self, original: bytes) -> dict[str, str]:
        digest = hashlib.sha1(original).digest()
        found = self.originals.get(digest)
        if found is None:
            from offload.manifest import parse_manifest

            found = {}
            with contextlib.suppress(Exception):
                found = {p: e.to_line() + "\n"
                         for p, e in parse_manifest(original.decode("utf-8")).items()}
            self.originals[digest] = found
        return found

    def __call__(self, present: dict[str, str], original: bytes | None) -> bytes | None:
        lines = dict(self.original_lines(original)) if original else {}
        lines.update({p: self.line(p, b) for p, b in present.items()})
        if not lines:
            return None
        return "".join(lines[p] for p in sorted(lines, key=_utf8)).encode("utf-8")


def _utf8(path: str) -> bytes:
    return path.encode("utf-8")
