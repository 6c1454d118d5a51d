"""Markdown references located by a CommonMark parser (markdown-it-py); the bytes stay ours.

The parser decides what is code, HTML, a paragraph, a table cell or a reference definition;
offload only finds, in the original text, the exact characters of each destination the parser
read, and checks them before they are replaced. Code blocks, code spans, escaped brackets and
everything the parser does not call a link are left alone by construction. HTML blocks and
inline HTML go to the HTML scanner. GFM tables are parsed too (film teams' READMEs use them).
What is left alone but names a file is listed with the reason: file names in code, a
destination not found again byte for byte (listed at its line).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from markdown_it.common.utils import unescapeAll

from offload.migrate.references.base import Span, make_span
from offload.migrate.references.html import scan_html
from offload.migrate.references.markdown_source import SourceMap, locate_block_lines
from offload.migrate.references.mentions import IN_CODE, NOT_FOUND, mention_spans


def decode_target(raw: str) -> str:
    """The path a destination names: backslash escapes and entities as the parser reads them
    (``img/a&#x2e;png`` is ``img/a.png``), then percent-decoded."""
    return unquote(unescapeAll(raw))


def scan_markdown(text: str) -> list[Span]:
    from offload.migrate.references.markdown_parser import CURRENT, ParseLog

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
        if token is None or where is None:
            continue  # an image's alt text: plain text once rendered
        begin, finish = where(start), where(end)
        if begin is None or finish is None or source.normalized[begin:finish] != src[start:end]:
            # not found again byte for byte: never guess, list it at its line
            line = token.map[0] + src.count("\n", 0, start)
            spans += _unplaced(source, line, src[start:end], kind)
            continue
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
            spans += _html_spans(source, source.normalized[begin:end], begin, markdown_block=True)
        else:
            spans += _code_mentions(source, begin, end)
    return spans


def _code_mentions(source: SourceMap, begin: int, end: int) -> list[Span]:
    """File names shown in code: listed when they name an artifact, never rewritten."""
    return mention_spans(source.normalized, begin, end, "markdown-code", IN_CODE, decode_target,
                         source.original)


def _unplaced(source: SourceMap, line: int, piece: str, kind: str) -> list[Span]:
    """What ``piece`` holds, listed at the start of its line and never rewritten."""
    if kind == "html":
        found = scan_html(piece)
    elif kind == "code":
        found = mention_spans(piece, 0, len(piece), "markdown-code", IN_CODE, decode_target)
    else:
        found = _span(SourceMap(piece), 0, len(piece), "markdown")
    at = source.original(source.line_start(line))
    return [replace(span, start=at, end=at, note=span.note or NOT_FOUND) for span in found]


def _span(source: SourceMap, start: int, end: int, kind: str) -> list[Span]:
    raw = source.normalized[start:end]
    context = "md-raw"
    if raw.startswith("<") and raw.endswith(">"):
        start, end, raw, context = start + 1, end - 1, raw[1:-1], "md-angle"
    span = make_span(source.original(start), source.original(end), raw, kind, context,
                     decode_target)
    return [span] if span is not None else []


def _html_spans(source: SourceMap, piece: str, begin: int, markdown_block: bool = False
                ) -> list[Span]:
    """HTML found in normalized text at ``begin``, its spans moved to the original offsets."""
    moved = []
    for span in scan_html(piece, markdown_block):
        start, end = source.original(begin + span.start), source.original(begin + span.end)
        if end - start != span.end - span.start:  # a CR inside the target
            moved.append(replace(span, start=start, end=start, note=span.note or NOT_FOUND))
        else:
            moved.append(Span(start, end, span.target, span.path, span.suffix, span.kind,
                              span.context, span.data_value, span.note))
    return moved


_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from offload.migrate.references.markdown_parser import instrumented_parser

        _PARSER = instrumented_parser()
    return _PARSER
