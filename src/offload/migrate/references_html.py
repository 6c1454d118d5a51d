"""HTML attributes (src, href, poster, data-src, srcset) and CSS ``url()`` references."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from offload.migrate.references_base import Span, make_span

_URL_ATTRIBUTES = frozenset({"src", "href", "poster", "data-src"})
_TAG_OPEN = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*")
_ATTRIBUTE = re.compile(
    r"([^\s/>\"'=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_CSS_URL = re.compile(
    r"\burl\(\s*(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s\"'()]*))\s*\)", re.I
)
_QUOTING = {2: "dq", 3: "sq", 4: "uq"}


def _html_decode(raw: str) -> str:
    return unquote(html.unescape(raw))


def scan_html(text: str) -> list[Span]:
    spans: list[Span] = []
    for tag in _TAG_OPEN.finditer(text):
        pos = tag.end()
        while True:
            while pos < len(text) and (text[pos].isspace() or text[pos] == "/"):
                pos += 1
            attribute = _ATTRIBUTE.match(text, pos)
            if pos >= len(text) or text[pos] == ">" or attribute is None:
                break
            pos = attribute.end()
            spans.extend(_attribute_spans(attribute))
    for block in _STYLE_BLOCK.finditer(text):
        spans.extend(scan_css(block.group(1), block.start(1), "html"))
    return spans


def _attribute_spans(attribute: re.Match[str]) -> list[Span]:
    name = attribute.group(1).lower()
    group = next((g for g in (2, 3, 4) if attribute.group(g) is not None), None)
    if group is None:
        return []
    value, offset, quoting = attribute.group(group), attribute.start(group), _QUOTING[group]
    if name == "style":
        return scan_css(value, offset, "html")
    if name == "srcset":
        return _srcset_spans(value, offset, quoting)
    if name not in _URL_ATTRIBUTES:
        return []
    stripped = value.strip()
    start = offset + value.find(stripped) if stripped else offset
    span = make_span(start, start + len(stripped), stripped, "html", f"attr-{quoting}",
                     _html_decode)
    return [span] if span is not None else []


def _srcset_spans(value: str, offset: int, quoting: str) -> list[Span]:
    """Every image candidate of a srcset; descriptors (``2x``, ``640w``) stay as they are."""
    spans: list[Span] = []
    pos, n = 0, len(value)
    while pos < n:
        while pos < n and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < n and not value[pos].isspace():
            pos += 1
        end = pos
        while end > start and value[end - 1] == ",":
            end -= 1
        if end > start:
            span = make_span(offset + start, offset + end, value[start:end], "html",
                             f"srcset-{quoting}", _html_decode)
            if span is not None:
                spans.append(span)
        if end == pos:
            while pos < n and value[pos] != ",":
                pos += 1
    return spans


def scan_css(text: str, offset: int = 0, kind: str = "css") -> list[Span]:
    spans: list[Span] = []
    for match in _CSS_URL.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        context = ("css-dq", "css-sq", "css-uq")[group - 1]
        span = make_span(offset + match.start(group), offset + match.end(group),
                         match.group(group), kind, context, unquote)
        if span is not None:
            spans.append(span)
    return spans
