"""offload.lock of a rewritten commit, built from lines rendered once per (path, blob)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from offload.migrate.history.runrecord import RunRecord, git_blob_id
from offload.migrate.inventory import Asset
from offload.migrate.recipe import Rules, key_for

if TYPE_CHECKING:
    from offload.workspace import Workspace


class LockBuilder:
    """offload.lock text for the assets of one commit, merged over the commit's own lock.

    A line depends only on (path, blob), and an original lock only on its bytes: both are
    rendered once, so each commit costs a dict merge and one sorted join."""

    def __init__(self, ws: Workspace, rules: Rules, assets: dict[str, Asset],
                 record: RunRecord | None = None) -> None:
        self.ws = ws
        self.rules = rules
        self.assets = assets
        self.record = record or RunRecord()  # the entries written, for the in-run verify
        self.lines: dict[tuple[str, str], str] = {}
        self.originals: dict[str, dict[str, str]] = {}

    def line(self, path: str, blob: str) -> str:
        found = self.lines.get((path, blob))
        if found is None:
            from offload.manifest import Entry
            from offload.ops.put import content_type_for

            a = self.assets[blob]
            key = key_for(self.rules, path, a.sha256, a.size)
            entry = Entry(path=path, size=a.size, sha256=a.sha256, key=key,
                          url=self.ws.url_for(key), content_type=content_type_for(path),
                          source="migrate")
            found = self.lines[(path, blob)] = entry.to_line() + "\n"
            self.record.entries[(path, blob)] = entry
        return found

    def original_lines(self, original: bytes) -> dict[str, str]:
        oid = git_blob_id(original)
        found = self.originals.get(oid)
        if found is None:
            from offload.manifest import parse_manifest

            entries = {}
            with contextlib.suppress(Exception):
                entries = parse_manifest(original.decode("utf-8"), controls_ok=True)
            found = self.originals[oid] = {p: e.to_line() + "\n" for p, e in entries.items()}
            self.record.original_locks[oid] = entries
        return found

    def __call__(self, present: dict[str, str], original: bytes | None) -> bytes | None:
        return self.text({p: self.line(p, b) for p, b in present.items()}, original)

    def text(self, present: dict[str, str], original: bytes | None,
             order: list[str] | None = None) -> bytes | None:
        """The lock of ``present`` (path -> its line) over the commit's own lock; ``order``:
        the keys of ``present``, already sorted."""
        if original:
            lines = {**self.original_lines(original), **present}
            order = None
        else:
            lines = present
        if not lines:
            return None
        # code point order is UTF-8 byte order: no sort key needed
        keys = order if order is not None else sorted(lines)
        return "".join([lines[p] for p in keys]).encode("utf-8")
