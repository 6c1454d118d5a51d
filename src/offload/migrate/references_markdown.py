"""Markdown references located by a CommonMark parser (markdown-it-py); the bytes stay ours.

The parser decides what is code, HTML, a paragraph, a table cell or a reference definition;
offload only finds, in the original text, the exact characters of each destination the parser
read, and checks them before they are replaced. Code blocks, code spans, escaped brackets and
everything the parser does not call a link are left alone by construction. HTML blocks and
inline HTML go to the HTML scanner. GFM tables are parsed too (film teams' READMEs use them).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from offload.migrate.markdown_source import SourceMap, locate_block_lines
from offload.migrate.references_base import Span, make_span
from offload.migrate.references_html import scan_html

# a path-like word ending in an extension, as code shows file names
_MENTION = re.compile(r"(?<![\w./-])(?:\.{1,2}/|/)?[\w-][\w./-]*\.[A-Za-z0-9]{1,10}(?![\w/-])")
_BACKSLASH_ESCAPABLE = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def decode_target(raw: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in _BACKSLASH_ESCAPABLE:
            out.append(raw[i + 1])
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return unquote("".join(out))


def scan_markdown(text: str) -> list[Span]:
    from offload.migrate.markdown_parser import CURRENT, ParseLog

    source = SourceMap(text)
    log = ParseLog()
    reset = CURRENT.set(log)
    try:
        tokens = _parser().parse(source.normalized)
    finally:
        CURRENT.reset(reset)
    spans: list[Span] = []
    for start, end in log.definitions:
        spans += _span(source, start, end, "markdown-def")
    inline_tokens = {id(t.children): t for t in tokens if t.type == "inline"}
    placed = locate_block_lines(source, tokens)
    for owner, kind, src, start, end in log.inline:
        token = inline_tokens.get(owner)
        where = placed.get(id(token)) if token is not None else None
        if where is None:
            continue
        begin, finish = where(start), where(end)
        if begin is None or finish is None or source.normalized[begin:finish] != src[start:end]:
            continue  # not found again byte for byte: never guess
        if kind == "html":
            spans += _html_spans(source, src[start:end], begin)
        elif kind == "code":
            spans += _code_mentions(source, begin, finish)
        else:
            spans += _span(source, begin, finish, "markdown")
    for token in tokens:
        if token.map is None or token.type not in ("html_block", "fence", "code_block"):
            continue
        begin = source.line_start(token.map[0])
        end = source.line_start(token.map[1])
        if token.type == "html_block":
            spans += _html_spans(source, source.normalized[begin:end], begin)
        else:
            spans += _code_mentions(source, begin, end)
    return spans


def _code_mentions(source: SourceMap, begin: int, end: int) -> list[Span]:
    """File names shown in code: listed when they name an artifact, never rewritten."""
    spans = []
    for match in _MENTION.finditer(source.normalized, begin, end):
        for span in _span(source, match.start(), match.end(), "markdown-code"):
            spans.append(replace(span, note="in code"))
    return spans


def _span(source: SourceMap, start: int, end: int, kind: str) -> list[Span]:
    raw = source.normalized[start:end]
    context = "md-raw"
    if raw.startswith("<") and raw.endswith(">"):
        start, end, raw, context = start + 1, end - 1, raw[1:-1], "md-angle"
    span = make_span(source.original(start), source.original(end), raw, kind, context,
                     decode_target)
    return [span] if span is not None else []


def _html_spans(source: SourceMap, html: str, begin: int) -> list[Span]:
    """HTML found in normalized text at ``begin``, its spans moved to the original offsets."""
    moved = []
    for span in scan_html(html):
        start, end = source.original(begin + span.start), source.original(begin + span.end)
        if end - start != span.end - span.start:
            continue  # a CR inside the target: not a single-line value, leave it
        moved.append(Span(start, end, span.target, span.path, span.suffix, span.kind,
                          span.context, span.data_value))
    return moved


_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from offload.migrate.markdown_parser import instrumented_parser

        _PARSER = instrumented_parser()
    return _PARSER
