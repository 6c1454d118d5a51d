"""A markdown-it-py parser that also says where each destination was written.

markdown-it-py keeps line maps for blocks but no offsets for inline content. Its own link,
image, inline-HTML and reference-definition rules are wrapped: after a rule succeeds, the
destination is read again with the parser's helpers over the same source, so its offsets are
exactly those the parser used. Results go to the log of the current parse (a context variable:
one parser object serves every document and thread).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import reference
from markdown_it.rules_inline import backtick, html_inline, image, link

InlineHit = tuple[int, str, str, int, int]  # (id of the inline token list, kind, src, start, end)


@dataclass
class ParseLog:
    inline: list[InlineHit] = field(default_factory=list)
    definitions: list[tuple[int, int]] = field(default_factory=list)  # block-source offsets


CURRENT: ContextVar[ParseLog | None] = ContextVar("offload_markdown_log", default=None)


def instrumented_parser() -> MarkdownIt:
    # text_join would replace each inline token's children list, which the log is keyed by.
    md = MarkdownIt("commonmark").enable("table").disable("text_join")
    md.inline.ruler.at("link", _inline_destination(link, label_from=0, nested=False))
    md.inline.ruler.at("image", _inline_destination(image, label_from=1, nested=True))
    md.inline.ruler.at("html_inline", _inline_piece(html_inline, "html"))
    md.inline.ruler.at("backticks", _inline_piece(backtick, "code"))
    md.block.ruler.at("reference", _definition, {"alt": []})
    return md


def _inline_destination(rule: Any, label_from: int, nested: bool) -> Any:
    def wrapped(state: Any, silent: bool) -> bool:
        log = CURRENT.get()
        start = state.pos
        ok: bool = rule(state, silent)
        if ok and not silent and log is not None:
            found = _destination_after_label(state, start + label_from, state.pos, nested)
            if found is not None:
                log.inline.append((id(state.tokens), "link", state.src, *found))
        return ok

    return wrapped


def _destination_after_label(state: Any, label_open: int, end: int, nested: bool
                             ) -> tuple[int, int] | None:
    """Where ``[label](dest …)`` keeps ``dest``; None for reference-style links."""
    src = state.src
    label_end = state.md.helpers.parseLinkLabel(state, label_open, not nested)
    if label_end < 0 or label_end + 1 >= end or src[label_end + 1] != "(":
        return None
    pos = label_end + 2
    while pos < end and src[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(src, pos, state.posMax)
    if not result.ok or result.pos > end or src[end - 1] != ")" or result.pos == pos:
        return None
    return pos, result.pos


def _inline_piece(rule: Any, kind: str) -> Any:
    """Log where an inline HTML tag or a code span was written."""
    def wrapped(state: Any, silent: bool) -> bool:
        log = CURRENT.get()
        start = state.pos
        ok: bool = rule(state, silent)
        if ok and not silent and log is not None:
            log.inline.append((id(state.tokens), kind, state.src, start, state.pos))
        return ok

    return wrapped


def _definition(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    ok: bool = reference(state, start_line, end_line, silent)
    log = CURRENT.get()
    if ok and not silent and log is not None:
        found = _definition_destination(state, start_line, state.line)
        if found is not None:
            log.definitions.append(found)
    return ok


def _definition_destination(state: Any, first: int, after: int) -> tuple[int, int] | None:
    """The definition's lines as the rule joined them, and the destination mapped back."""
    pieces: list[tuple[int, int]] = []  # (offset in the joined string, offset in the source)
    text = ""
    for line in range(first, after):
        begin = state.bMarks[line] + state.tShift[line]
        pieces.append((len(text), begin))
        text += state.src[begin:state.eMarks[line] + 1]
    if text.startswith("[^"):
        return None  # a GFM footnote ("[^1]: text"), not a link destination
    pos = 1
    while pos < len(text) and text[pos] != "]":
        pos += 2 if text[pos] == "\\" else 1
    pos += 2  # past "]:"
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(text, pos, len(text))
    if not result.ok or result.pos == pos:
        return None
    offset, source = max(p for p in pieces if p[0] <= pos)
    return source + pos - offset, source + result.pos - offset
