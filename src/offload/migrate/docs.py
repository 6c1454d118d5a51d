"""Reference rewriting of one document version against the assets present in one commit."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from offload.migrate.prefilter import reference_prefilter

if TYPE_CHECKING:
    from offload.migrate.recipe import Rules
    from offload.migrate.references import RewriteResult
    from offload.migrate.sites import SiteRoot

UrlOf = Callable[[str, str], str | None]  # (asset path, asset blob) -> URL


class DocRewriter:
    """Caches results by (document, blob, versions of the assets the document can name)."""

    def __init__(self, url_of: UrlOf, looks_like_artifact: Callable[[str], bool],
                 prefilter: re.Pattern[bytes] | None = None,
                 roots: tuple[SiteRoot, ...] = ()) -> None:
        self.url_of = url_of
        self.roots = roots
        self.looks_like_artifact = looks_like_artifact
        self.prefilter = prefilter
        self._candidates: dict[tuple[str, str], tuple[str, ...]] = {}
        self._results: dict[tuple[object, ...], RewriteResult] = {}
        self.urls: dict[int, dict[str, str]] = {}  # id(result) -> asset path -> URL put in
        self.skipped: set[tuple[str, str]] = set()  # (document, blob) never parsed
        self.parsed: set[tuple[str, str]] = set()

    @classmethod
    def for_migration(cls, url_of: UrlOf, rules: Rules, asset_paths: Collection[str]
                      ) -> DocRewriter:
        """The rewriter every migration step uses: same artifact test, same prefilter."""
        return cls(url_of, lambda p: p in asset_paths or rules.artifact_name(p),
                   reference_prefilter(rules.include, asset_paths), rules.roots)

    def can_refer(self, doc_path: str, blob: str, data: bytes) -> bool:
        """False when the document's bytes cannot hold a reference (it is then never parsed)."""
        key = (doc_path, blob)
        if key in self.parsed:
            return True
        if key in self.skipped:
            return False
        if self.prefilter is not None and self.prefilter.search(data) is None:
            self.skipped.add(key)
            return False
        self.parsed.add(key)
        return True

    def candidates(self, doc_path: str, blob: str, data: bytes) -> tuple[str, ...]:
        """Every repository path the document's references may resolve to."""
        key = (doc_path, blob)
        found = self._candidates.get(key)
        if found is None and not self.can_refer(doc_path, blob, data):
            found = self._candidates[key] = ()
        if found is None:
            from offload.migrate.references import rewrite_document

            asked: list[str] = []

            def record(path: str) -> str | None:
                asked.append(path)
                return None

            rewrite_document(doc_path, data, record, self.looks_like_artifact, self.roots)
            found = tuple(dict.fromkeys(asked))
            self._candidates[key] = found
        return found

    def rewrite(self, doc_path: str, blob: str, data: bytes,
                assets: Mapping[str, str]) -> RewriteResult:
        names = self.candidates(doc_path, blob, data)
        versions = tuple(assets.get(name) for name in names)
        key = (doc_path, blob, versions)
        result = self._results.get(key)
        if result is None and not names and not self.can_refer(doc_path, blob, data):
            from offload.migrate.references import RewriteResult

            result = self._results[key] = RewriteResult(data)
            self.urls[id(result)] = {}
        if result is None:
            from offload.migrate.references import rewrite_document

            used: dict[str, str] = {}

            def url_for(path: str) -> str | None:
                asset = assets.get(path)
                url = None if asset is None else self.url_of(path, asset)
                if url is not None:
                    used[path] = url
                return url

            result = rewrite_document(doc_path, data, url_for, self.looks_like_artifact,
                                      self.roots)
            self._results[key] = result
            self.urls[id(result)] = used
        return result

    def depends_on(self, doc_path: str, blob: str, data: bytes, changed: set[str]) -> bool:
        return any(name in changed for name in self.candidates(doc_path, blob, data))
