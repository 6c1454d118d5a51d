"""Reference rewriting of one document version against the assets present in one commit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offload.migrate.references import RewriteResult

UrlOf = Callable[[str, str], str | None]  # (asset path, asset blob) -> URL


class DocRewriter:
    """Caches results by (document, blob, versions of the assets the document can name)."""

    def __init__(self, url_of: UrlOf, looks_like_artifact: Callable[[str], bool]) -> None:
        self.url_of = url_of
        self.looks_like_artifact = looks_like_artifact
        self._candidates: dict[tuple[str, str], tuple[str, ...]] = {}
        self._results: dict[tuple[object, ...], RewriteResult] = {}
        self.urls: dict[int, dict[str, str]] = {}  # id(result) -> asset path -> URL put in

    def candidates(self, doc_path: str, blob: str, data: bytes) -> tuple[str, ...]:
        """Every repository path the document's references may resolve to."""
        key = (doc_path, blob)
        found = self._candidates.get(key)
        if found is None:
            from offload.migrate.references import rewrite_document

            asked: list[str] = []

            def record(path: str) -> str | None:
                asked.append(path)
                return None

            rewrite_document(doc_path, data, record, self.looks_like_artifact)
            found = tuple(dict.fromkeys(asked))
            self._candidates[key] = found
        return found

    def rewrite(self, doc_path: str, blob: str, data: bytes,
                assets: Mapping[str, str]) -> RewriteResult:
        names = self.candidates(doc_path, blob, data)
        versions = tuple(assets.get(name) for name in names)
        key = (doc_path, blob, versions)
        result = self._results.get(key)
        if result is None:
            from offload.migrate.references import rewrite_document

            used: dict[str, str] = {}

            def url_for(path: str) -> str | None:
                asset = assets.get(path)
                url = None if asset is None else self.url_of(path, asset)
                if url is not None:
                    used[path] = url
                return url

            result = rewrite_document(doc_path, data, url_for, self.looks_like_artifact)
            self._results[key] = result
            self.urls[id(result)] = used
        return result

    def depends_on(self, doc_path: str, blob: str, data: bytes, changed: set[str]) -> bool:
        return any(name in changed for name in self.candidates(doc_path, blob, data))
