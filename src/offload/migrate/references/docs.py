"""Reference rewriting of one document version against the assets present in one commit."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from offload.migrate.references.prefilter import reference_prefilter

if TYPE_CHECKING:
    from offload.migrate.recipe import Rules
    from offload.migrate.references import RewriteResult, ScannedDocument
    from offload.migrate.references.scancache import ScanCache
    from offload.migrate.sites import SiteRoot

UrlOf = Callable[[str, str], str | None]  # (asset path, asset blob) -> URL


class DocRewriter:
    """Scans each document version once and caches its results by (document, blob, versions
    of the assets it can name). The caches hold the latest version of each document path, not
    history: a migration asks again about a document version only while it stays in the tree."""

    def __init__(self, url_of: UrlOf, looks_like_artifact: Callable[[str], bool],
                 prefilter: re.Pattern[bytes] | None = None,
                 roots: tuple[SiteRoot, ...] = (), cache: ScanCache | None = None) -> None:
        self.url_of = url_of
        self.cache = cache  # spans by blob, shared by a plan and the run of the same clone
        self.roots = roots
        self.looks_like_artifact = looks_like_artifact
        self.prefilter = prefilter
        self._scanned: dict[str, tuple[str, ScannedDocument | None]] = {}  # path -> latest
        self._results: dict[str, tuple[tuple[object, ...], RewriteResult]] = {}
        self.parsed = 0  # document versions scanned / never scanned (their bytes name no
        self.skipped = 0  # file extension offload looks for)
        self._refer: dict[tuple[str, str], bool] = {}  # small, and counts each version once

    @classmethod
    def for_migration(cls, url_of: UrlOf, rules: Rules, asset_paths: Collection[str],
                      cache: ScanCache | None = None) -> DocRewriter:
        """The rewriter every migration step uses: same artifact test, same prefilter."""
        return cls(url_of, lambda p: p in asset_paths or rules.artifact_name(p),
                   reference_prefilter(rules.include, asset_paths), rules.roots, cache)

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
        kept = self._scanned.get(doc_path)
        if kept is not None and kept[0] == blob:
            return kept[1]
        from offload.migrate.references import scan_document

        found = scan_document(doc_path, data, self.roots, self.cache, blob)
        self._scanned[doc_path] = (blob, found)
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
        key = (blob, tuple(assets.get(name) for name in names))
        kept = self._results.get(doc_path)
        result = kept[1] if kept is not None and kept[0] == key else None
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
            self._results[doc_path] = (key, result)
        return result

    def depends_on(self, doc_path: str, blob: str, data: bytes, changed: set[str]) -> bool:
        return any(name in changed for name in self.candidates(doc_path, blob, data))
