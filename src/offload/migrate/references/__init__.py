"""Find and rewrite references to repository files in documents (SPEC §5 "References").

Supported: markdown inline links and images, reference definitions and embedded HTML;
HTML ``src``, ``href``, ``poster``, ``data-src``, ``srcset`` and CSS ``url()`` in ``<style>``
blocks and ``style`` attributes; CSS ``url()``; JSON and YAML string values that are exactly a
path. Targets resolve relative to the document, ``/`` meaning the repository root. A JSON/YAML
value that is a bare path (no leading ``/``, ``./`` or ``../``) is read relative to the
document first and from the repository root second: the relative reading wins when ``url_for``
knows both; when it knows neither, the root reading is reported, since data files usually
hold root-relative paths. Fragments and queries are kept after the URL; URLs are never
touched; a target that climbs out of the repository resolves to None and is left as written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from offload.migrate.references.base import Span, escape, resolve

if TYPE_CHECKING:
    from offload.migrate.references.scancache import ScanCache
    from offload.migrate.sites import SiteRoot

KINDS = ("markdown", "markdown-def", "html", "css", "json", "yaml")
_DOCUMENT_KINDS = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".css": "css", ".json": "json", ".yaml": "yaml", ".yml": "yaml",
}


@dataclass(frozen=True)
class Reference:
    line: int
    target: str
    resolved: str | None
    kind: str
    column: int = field(default=0, compare=False)


@dataclass
class RewriteResult:
    data: bytes
    rewritten: list[Reference] = field(default_factory=list)
    unresolved: list[Reference] = field(default_factory=list)
    left_alone: list[tuple[Reference, str]] = field(default_factory=list)  # (mention, why)
    not_utf8: bool = False
    urls: dict[str, str] = field(default_factory=dict)  # asset path -> URL put in


def document_kind(doc_path: str) -> str | None:
    name = doc_path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return _DOCUMENT_KINDS.get(name[dot:]) if dot > 0 else None


def find_references(doc_path: str, data: bytes,
                    known: Callable[[str], bool] | None = None,
                    roots: tuple[SiteRoot, ...] = ()) -> list[Reference]:
    """Every reference of a document, in order; ``known`` picks among the readings."""
    scanned = scan_document(doc_path, data, roots)
    return scanned.references(known) if scanned is not None else []


@dataclass(frozen=True)
class ScannedDocument:
    """A document's text and spans, each with its candidate readings: scanned once, then
    applied against the assets of as many commits as need it."""

    text: str
    spans: tuple[tuple[Span, tuple[str | None, ...], str | None, int], ...]  # +readings, line
    columns: tuple[int, ...]  # of each span's start

    def references(self, known: Callable[[str], bool] | None = None) -> list[Reference]:
        """Its references (mentions left out), each resolved to the first reading ``known``
        accepts, else to the reading reported: a document scanned once is asked this against
        the assets of every commit it is in."""
        found = []
        for (span, readings, reported, line), column in zip(self.spans, self.columns,
                                                            strict=True):
            if span.note is not None:
                continue  # a mention (in code, a comment…), not a reference
            hit = next((r for r in readings if r is not None and known and known(r)), None)
            found.append(Reference(line, span.target, hit if hit is not None else reported,
                                   span.kind, column))
        return found

    def candidates(self) -> tuple[str, ...]:
        """Every repository path the document's references may resolve to, in order."""
        return tuple(dict.fromkeys(r for _s, readings, _d, _l in self.spans
                                   for r in readings if r is not None))


def scan_document(doc_path: str, data: bytes, roots: tuple[SiteRoot, ...] = (),
                  cache: ScanCache | None = None, blob: str | None = None
                  ) -> ScannedDocument | None:
    """The spans of a document (None: not UTF-8); ``cache`` keeps them by ``blob``, the id
    of ``data``."""
    text = _decode(data)
    if text is None:
        return None
    kind = document_kind(doc_path)
    found = None if cache is None or blob is None or kind is None else cache.get(kind, blob)
    if found is None:
        found = scan_text(doc_path, text)
        if cache is not None and blob is not None and kind is not None:
            cache.put(kind, blob, found)
    lines = _LineIndex(text)
    spans = []
    for span in found:
        readings, reported = _readings(doc_path, span, roots)
        spans.append((span, tuple(readings), reported, lines.line_of(span.start)))
    return ScannedDocument(text, tuple(spans), tuple(lines.column_of(s.start) for s in found))


def rewrite_document(doc_path: str, data: bytes, url_for: Callable[[str], str | None],
                     looks_like_artifact: Callable[[str], bool] = lambda p: True,
                     roots: tuple[SiteRoot, ...] = ()) -> RewriteResult:
    """Replace every reference ``url_for`` knows by its URL; list the artifact-like rest."""
    return apply_references(scan_document(doc_path, data, roots), data, url_for,
                            looks_like_artifact)


def apply_references(scanned: ScannedDocument | None, data: bytes,
                     url_for: Callable[[str], str | None],
                     looks_like_artifact: Callable[[str], bool] = lambda p: True
                     ) -> RewriteResult:
    """``rewrite_document`` over a document already scanned."""
    if scanned is None:
        return RewriteResult(data, not_utf8=True)
    text = scanned.text
    result = RewriteResult(data)
    pieces: list[str] = []
    done = 0
    for span, readings, reported, line in scanned.spans:
        url = None
        resolved = reported
        for reading in readings:
            url = url_for(reading) if reading is not None else None
            if url is not None:
                resolved = reading
                break
        reference = Reference(line, span.target, resolved, span.kind)
        if span.note is not None:
            if url is not None or looks_like_artifact(resolved or span.path):
                result.left_alone.append((reference, span.note))
            continue
        if url is None:
            if looks_like_artifact(resolved if resolved is not None else span.path):
                result.unresolved.append(reference)
            continue
        pieces += [text[done:span.start], escape(url, span.context), span.suffix]
        done = span.end
        result.rewritten.append(reference)
    if result.rewritten:
        pieces.append(text[done:])
        result.data = "".join(pieces).encode("utf-8")
    return result


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def scan_text(doc_path: str, text: str) -> list[Span]:
    """The spans of a document's text, by its kind (the path names only the kind)."""
    from offload.migrate.references import css, data, html, markdown

    kind = document_kind(doc_path)
    scanners = {
        "markdown": markdown.scan_markdown,
        "html": html.scan_html,
        "css": css.scan_css,
        "json": data.scan_json,
        "yaml": data.scan_yaml,
    }
    if kind is None:
        return []
    if kind == "markdown":
        head = data.front_matter_end(text)
        found = data.scan_yaml(text[:head]) + scanners[kind](
            data.blank_out(text, head))
    else:
        found = scanners[kind](text)
    spans = sorted(found, key=lambda s: (s.start, s.end))
    kept: list[Span] = []
    for span in spans:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _readings(doc_path: str, span: Span, roots: tuple[SiteRoot, ...] = ()
              ) -> tuple[list[str | None], str | None]:
    """Candidate paths in order of preference, and the one reported when none is known.

    Site roots come after the document's own readings, except in a site's configuration
    file, whose values name files of the site first.
    """
    relative = resolve(doc_path, span.path)
    own = [relative]
    if span.data_value and not span.path.startswith(("/", "./", "../")):
        own.append(resolve(doc_path, span.path, from_root=True))
    if not roots:
        return own, own[-1]
    from offload.migrate.sites import site_readings

    site = site_readings(roots, doc_path, span.path, span.data_value)
    first = any(root.config == doc_path for root in roots)
    ordered = [*site, *own] if first else [*own, *site]
    return list(dict.fromkeys(ordered)), (site[0] if first and site else own[-1])


_NEWLINE = re.compile("\n")


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [found.start() for found in _NEWLINE.finditer(text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_left(self.starts, offset) + 1

    def column_of(self, offset: int) -> int:
        line = self.line_of(offset)
        return offset - (self.starts[line - 2] + 1 if line > 1 else 0) + 1
