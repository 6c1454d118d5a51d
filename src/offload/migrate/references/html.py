"""HTML references found with the standard library's HTML tokenizer, and CSS ``url()``.

``html.parser`` decides what is a tag, a comment, or raw text (``<script>``, ``<style>``); only
start tags' attributes are read, from the tag's own source text, so comments, scripts and
``<textarea>``/``<title>`` text are never rewritten: file names there are listed with the reason
(mentions.py). Attributes: ``src``, ``href``, ``poster``, ``data-src``, ``data``
(``<object>``), ``xlink:href`` (SVG), ``srcset`` and ``data-srcset`` candidates, ``content`` of
image ``<meta>`` tags (``og:image``, ``twitter:image``), CSS in ``style`` attributes (character
references decoded first) and ``<style>`` elements.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import unquote

from offload.migrate.references.base import Span, make_span
from offload.migrate.references.css import scan_css
from offload.migrate.references.mentions import (
    HTML_ENTITY,
    IN_HTML_COMMENT,
    MARKDOWN_IN_HTML,
    in_text_of,
    mention_spans,
)

_URL_ATTRIBUTES = frozenset({"src", "href", "poster", "data-src", "data", "xlink:href"})
_SRCSET_ATTRIBUTES = frozenset({"srcset", "data-srcset"})
_META_IMAGES = frozenset({"og:image", "og:image:url", "og:image:secure_url", "og:video",
                          "twitter:image", "twitter:image:src", "thumbnail"})
_RAW_TEXT_UNTIL_END = frozenset({"textarea", "title"})  # html.parser reads tags inside them
_TAG_NAME = re.compile(r"<[A-Za-z][A-Za-z0-9:-]*")
_ATTRIBUTE = re.compile(
    r"([^\s/>\"'=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_QUOTING = {2: "dq", 3: "sq", 4: "uq"}
_MARKDOWN_LINK = re.compile(r"!?\[[^\]\n]*\]\([ \t]*<?([^\s()<>]+)")


def _html_decode(raw: str) -> str:
    return unquote(html.unescape(raw))


def scan_html(text: str, markdown_block: bool = False) -> list[Span]:
    """``markdown_block``: the text is an HTML block of a markdown document, where markdown
    written between the tags is shown as text (listed, never rewritten)."""
    tokenizer = _Tokenizer(text, markdown_block)
    tokenizer.feed(text)
    tokenizer.close()
    return tokenizer.spans


class _Tokenizer(HTMLParser):
    def __init__(self, text: str, markdown_block: bool = False) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.markdown_block = markdown_block
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.spans: list[Span] = []
        self.inside: str | None = None  # a raw-text element whose tags are text
        self.in_style = False
        self.in_script = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside is not None:
            return
        raw, start = self.get_starttag_text() or "", self._offset()
        if self.text[start:start + len(raw)] == raw:
            self.spans += _tag_spans(tag, raw, start, attrs)
        if tag in _RAW_TEXT_UNTIL_END:
            self.inside = tag
            self._list_raw_text(tag, start + len(raw))
        self.in_style = tag == "style"
        self.in_script = tag == "script"

    def _list_raw_text(self, tag: str, begin: int) -> None:
        """Text up to ``</tag``, which html.parser reads as markup: its file names, listed."""
        close = re.compile(f"</{tag}", re.IGNORECASE).search(self.text, begin)
        end = close.start() if close else len(self.text)
        self.spans += mention_spans(self.text, begin, end, "html", in_text_of(tag), _html_decode)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside is None:
            raw, start = self.get_starttag_text() or "", self._offset()
            if self.text[start:start + len(raw)] == raw:
                self.spans += _tag_spans(tag, raw, start, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = None
        if tag == "style":
            self.in_style = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        start = self._offset()
        if self.inside is not None or self.text[start:start + len(data)] != data:
            return
        if self.in_style:
            self.spans += scan_css(data, start, "html")
        elif self.in_script:
            self.spans += mention_spans(self.text, start, start + len(data), "html",
                                        in_text_of("script"), _html_decode)
        elif self.markdown_block:
            for link in _MARKDOWN_LINK.finditer(data):
                span = make_span(start + link.start(1), start + link.end(1), link.group(1),
                                 "html", "mention", _html_decode, MARKDOWN_IN_HTML)
                if span is not None:
                    self.spans.append(span)

    def handle_comment(self, data: str) -> None:
        offset = self._offset()
        start = self.text.find(data, offset, offset + 4 + len(data)) if data else -1
        if self.inside is None and start >= 0:
            self.spans += mention_spans(self.text, start, start + len(data), "html",
                                        IN_HTML_COMMENT, _html_decode)


def _tag_spans(tag: str, raw: str, start: int, attrs: list[tuple[str, str | None]]
               ) -> list[Span]:
    names = {name: value for name, value in attrs}
    meta_image = tag == "meta" and any(
        (names.get(key) or "").lower() in _META_IMAGES for key in ("property", "name", "itemprop"))
    spans: list[Span] = []
    name_end = _TAG_NAME.match(raw)
    pos = name_end.end() if name_end else len(raw)
    while True:
        while pos < len(raw) and (raw[pos].isspace() or raw[pos] == "/"):
            pos += 1
        attribute = _ATTRIBUTE.match(raw, pos)
        if pos >= len(raw) or raw[pos] == ">" or attribute is None:
            break
        pos = attribute.end()
        spans += _attribute_spans(attribute, start, meta_image)
    return spans


def _attribute_spans(attribute: re.Match[str], base: int, meta_image: bool) -> list[Span]:
    name = attribute.group(1).lower()
    group = next((g for g in (2, 3, 4) if attribute.group(g) is not None), None)
    if group is None:
        return []
    value, quoting = attribute.group(group), _QUOTING[group]
    offset = base + attribute.start(group)
    if name == "style":
        return _style_attribute_spans(value, offset)
    if name in _SRCSET_ATTRIBUTES:
        return _srcset_spans(value, offset, quoting)
    if name not in _URL_ATTRIBUTES and not (meta_image and name == "content"):
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


def _style_attribute_spans(value: str, offset: int) -> list[Span]:
    """CSS in a ``style`` attribute, read after its character references are decoded."""
    decoded, positions = _decode_references(value)
    spans = []
    for span in scan_css(decoded, 0, "html"):
        start, end = positions[span.start], positions[span.end]
        if value[start:end] != span.target:  # a character reference inside the target
            spans.append(replace(span, start=offset + start, end=offset + end,
                                 target=value[start:end], note=HTML_ENTITY))
            continue
        spans.append(Span(offset + start, offset + end, span.target, span.path, span.suffix,
                          span.kind, f"{span.context}-attr", span.data_value, span.note))
    return spans


def _decode_references(raw: str) -> tuple[str, list[int]]:
    """``raw`` with character references decoded, and each decoded offset's raw offset."""
    out: list[str] = []
    positions: list[int] = []
    pos = 0
    for match in _CHARACTER_REFERENCE.finditer(raw):
        for i in range(pos, match.start()):
            out.append(raw[i])
            positions.append(i)
        for ch in html.unescape(match.group()):
            out.append(ch)
            positions.append(match.start())
        pos = match.end()
    for i in range(pos, len(raw)):
        out.append(raw[i])
        positions.append(i)
    positions.append(len(raw))
    return "".join(out), positions
