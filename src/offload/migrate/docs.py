"""Reference rewriting of one document version against the assets present in one commit."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from offload.migrate.prefilter import reference_prefilter

if TYPE_CHECKING:
    from offload.migrate.recipe import Rules
    from offload.migrate.references import RewriteResult, ScannedDocument
    from offload.migrate.sites import SiteRoot

CACHE_SIZE = 2048  # document versions (and results) kept
UrlOf = Callable[[str, str], str | None]  # (asset path, asset blob) -> URL


class DocRewriter:
    """Scans each document version once and caches its results by (document, blob, versions
    of the assets it can name). The caches hold the last few thousand entries, not history:
    a migration asks again about a document only while it stays in the tree."""

    def __init__(self, url_of: UrlOf, looks_like_artifact: Callable[[str], bool],
                 prefilter: re.Pattern[bytes] | None = None,
                 roots: tuple[SiteRoot, ...] = (), cache_size: int = CACHE_SIZE) -> None:
        self.url_of = url_of
        self.roots = roots
        self.looks_like_artifact = looks_like_artifact
        self.prefilter = prefilter
        self._scanned: Recent[tuple[str, str], ScannedDocument | None] = Recent(cache_size)
        self._results: Recent[tuple[object, ...], RewriteResult] = Recent(cache_size)
        self.parsed = 0  # document versions scanned / never scanned (their bytes name no
        self.skipped = 0  # file extension offload looks for)
        self._refer: dict[tuple[str, str], bool] = {}  # small, and counts each version once

    @classmethod
    def for_migration(cls, url_of: UrlOf, rules: Rules, asset_paths: Collection[str]
                      ) -> DocRewriter:
        """The rewriter every migration step uses: same artifact test, same prefilter."""
        return cls(url_of, lambda p: p in asset_paths or rules.artifact_name(p),
                   reference_prefilter(rules.include, asset_paths), rules.roots)

    def can_refer(self, doc_path: str, blob: str, data: bytes) -> bool:
        """False when the document's bytes cannot hold a reference (it is then never parsed)."""
        key = (doc_path, blob)
        known = self._refer.get(key)
        if known is None:
            known = self.prefilter is None or self.prefilter.search(data) is not None
            self._refer[key] = known
            if known:
                self.parsed += 1
            else:
                self.skipped += 1
        return known

    def scanned(self, doc_path: str, blob: str, data: bytes) -> ScannedDocument | None:
        key = (doc_path, blob)
        if key in self._scanned:
            return self._scanned.get(key)
        from offload.migrate.references import scan_document

        found = scan_document(doc_path, data, self.roots)
        self._scanned.put(key, found)
        return found

    def candidates(self, doc_path: str, blob: str, data: bytes) -> tuple[str, ...]:
        """Every repository path the document's references may resolve to."""
        if not self.can_refer(doc_path, blob, data):
            return ()
        scanned = self.scanned(doc_path, blob, data)
        return () if scanned is None else scanned.candidates()

    def rewrite(self, doc_path: str, blob: str, data: bytes,
                assets: Mapping[str, str]) -> RewriteResult:
        from offload.migrate.references import RewriteResult, apply_references

        if not self.can_refer(doc_path, blob, data):
            return RewriteResult(data)
        scanned = self.scanned(doc_path, blob, data)
        names = () if scanned is None else scanned.candidates()
        key = (doc_path, blob, tuple(assets.get(name) for name in names))
        result = self._results.get(key)
        if result is None:
            used: dict[str, str] = {}

            def url_for(path: str) -> str | None:
                asset = assets.get(path)
                url = None if asset is None else self.url_of(path, asset)
                if url is not None:
                    used[path] = url
                return url

            result = apply_references(scanned, data, url_for, self.looks_like_artifact)
            result.urls = used
            self._results.put(key, result)
        return result

    def depends_on(self, doc_path: str, blob: str, data: bytes, changed: set[str]) -> bool:
        return any(name in changed for name in self.candidates(doc_path, blob, data))


K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A dict of the last ``size`` entries put or read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: K) -> bool:
        return key in self.items

    def get(self, key: K) -> V | None:
        found = self.items.get(key)
        if found is not None:
            self.items.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        if len(self.items) > self.size:
            self.items.popitem(last=False)
