"""CSS references found with a real CSS tokenizer (tinycss2).

Comments and ordinary strings (``content: "url(x.png)"``) are never read as references (file
names there are listed, see mentions.py); read are ``url(…)`` unquoted or quoted
(escapes decoded: ``url(my\\ shot.png)``), strings in ``image-set()`` /
``-webkit-image-set()`` and the string of ``@import``. The tokenizer gives each token's line
and column; the raw target is taken from the original text at that place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import tinycss2

from offload.migrate.references.base import Span, make_span
from offload.migrate.references.mentions import IN_CSS_COMMENT, IN_CSS_STRING, mention_spans

_IMAGE_SETS = frozenset({"image-set", "-webkit-image-set"})
_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n]?|(.))", re.S)


def css_decode(raw: str) -> str:
    """A CSS string or url body without its escapes, then percent-decoded."""
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return "" if match.group(2) == "\n" else match.group(2)

    return unquote(_ESCAPE.sub(replace, raw))


def scan_css(text: str, offset: int = 0, kind: str = "css") -> list[Span]:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    spans: list[Span] = []

    def at(token: Any) -> int:
        return int(starts[token.source_line - 1] + token.source_column - 1)

    def walk(tokens: list[Any], strings_refer: bool = False) -> None:
        after_import = False
        for token in tokens:
            if token.type == "comment":
                spans.extend(_comment(text, at(token), token.value, offset, kind))
            if token.type in ("whitespace", "comment"):
                continue
            if token.type == "url":
                spans.extend(_url_body(text, at(token), offset, kind))
            elif token.type == "function":
                name = token.lower_name
                walk(token.arguments, name == "url" or name in _IMAGE_SETS)
            elif token.type == "string":
                spans.extend(_string(text, at(token), offset, kind,
                                     None if strings_refer or after_import else IN_CSS_STRING))
            elif token.type in ("{} block", "[] block", "() block"):
                walk(token.content)
            after_import = token.type == "at-keyword" and token.lower_value == "import"

    walk(tinycss2.parse_component_value_list(text, skip_comments=False))
    return spans


def _comment(text: str, start: int, value: str, offset: int, kind: str) -> list[Span]:
    """File names in ``/* … */``: listed, never rewritten."""
    if text[start:start + 2] != "/*" or text[start + 2:start + 2 + len(value)] != value:
        return []
    return mention_spans(text, start + 2, start + 2 + len(value), kind, IN_CSS_COMMENT,
                         css_decode, _shift(offset))


def _shift(offset: int) -> Callable[[int], int] | None:
    return (lambda at: at + offset) if offset else None


def _url_body(text: str, start: int, offset: int, kind: str) -> list[Span]:
    """``url(  body  )`` at ``start``: the body's raw characters, escapes included."""
    if text[start:start + 4].lower() != "url(":
        return []
    pos = start + 4
    while pos < len(text) and text[pos] in " \t\n\r\f":
        pos += 1
    end = pos
    while end < len(text) and text[end] not in ") \t\n\r\f":
        end += 2 if text[end] == "\\" else 1
    return _span(text, pos, min(end, len(text)), "css-uq", offset, kind)


def _string(text: str, start: int, offset: int, kind: str, note: str | None = None
            ) -> list[Span]:
    """The string at ``start``: a reference, or (``note``) a text whose file names are listed."""
    quote = text[start:start + 1]
    if quote not in ("'", '"'):
        return []
    end = start + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if text[end] == "\\" else 1
    if end >= len(text) or text[end] != quote:
        return []
    if note is not None:
        return mention_spans(text, start + 1, end, kind, note, css_decode, _shift(offset))
    return _span(text, start + 1, end, "css-dq" if quote == '"' else "css-sq", offset, kind)


def _span(text: str, start: int, end: int, context: str, offset: int, kind: str) -> list[Span]:
    span = make_span(offset + start, offset + end, text[start:end], kind, context, css_decode)
    return [span] if span is not None else []
