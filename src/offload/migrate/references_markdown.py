"""Markdown references: inline links and images, reference definitions, embedded HTML.

Fenced code blocks and inline code spans are left alone: they show paths, they do not link
them. They are blanked out (same length, newlines kept) before scanning so offsets hold.
Indented code blocks are not recognised (a list continuation looks the same).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from offload.migrate.references_base import Span, make_span
from offload.migrate.references_html import scan_html

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_DEFINITION = re.compile(
    r"^ {0,3}\[(?!\^)(?:[^\]\\\n]|\\.)+\]:[ \t]*(?:\r?\n[ \t]*)?(?:<([^<>\n]*)>|(\S+))"
    r"(?=[ \t]|\r?$)",
    re.M,
)
_LINK_OPEN = re.compile(r"(?<!\\)\]\(")
_BACKSLASH = re.compile(r"\\([!-/:-@\[-`{-~])")
_TITLE_CLOSE = {'"': '"', "'": "'", "(": ")"}


def decode_target(raw: str) -> str:
    return unquote(_BACKSLASH.sub(r"\1", raw))


def mask_code(text: str) -> str:
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "

    fence: str | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is not None or match:
            blank(pos, pos + len(line))
        if fence is None:
            fence = match.group(1) if match else None
        elif match and line.strip() == match.group(1) and match.group(1)[0] == fence[0] \
                and len(match.group(1)) >= len(fence):
            fence = None
        pos += len(line)
    for span in _CODE_SPAN.finditer("".join(chars)):
        blank(span.start(), span.end())
    return "".join(chars)


def scan_markdown(text: str) -> list[Span]:
    masked = mask_code(text)
    spans: list[Span] = []
    for match in _LINK_OPEN.finditer(masked):
        span = _inline_destination(masked, match.end())
        if span is not None:
            spans.append(span)
    for match in _DEFINITION.finditer(masked):
        group = 1 if match.group(1) is not None else 2
        context = "md-angle" if group == 1 else "md-raw"
        span = make_span(match.start(group), match.end(group), match.group(group),
                         "markdown-def", context, decode_target)
        if span is not None:
            spans.append(span)
    spans.extend(scan_html(masked))
    return spans


def _inline_destination(text: str, pos: int) -> Span | None:
    """Parse ``dest "title")`` starting right after ``](``; None unless it is a valid link."""
    n = len(text)
    pos = _skip_space(text, pos)
    if pos < n and text[pos] == "<":
        close = pos + 1
        while close < n and text[close] not in "<>\n":
            close += 2 if text[close] == "\\" else 1
        if close >= n or text[close] != ">":
            return None
        start, end, after, context = pos + 1, close, close + 1, "md-angle"
    else:
        start = end = pos
        depth = 0
        while end < n and not (text[end].isspace() or ord(text[end]) < 0x20):
            char = text[end]
            if char == "\\":
                end += 2
                continue
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        end = min(end, n)
        after, context = end, "md-raw"
    pos = _skip_space(text, after)
    if pos < n and text[pos] in _TITLE_CLOSE and pos > after:
        close_char = _TITLE_CLOSE[text[pos]]
        pos += 1
        while pos < n and text[pos] != close_char:
            pos += 2 if text[pos] == "\\" else 1
        pos = _skip_space(text, pos + 1)
    if pos >= n or text[pos] != ")":
        return None
    return make_span(start, end, text[start:end], "markdown", context, decode_target)


def _skip_space(text: str, pos: int) -> int:
    newlines = 0
    while pos < len(text) and text[pos] in " \t\r\n":
        newlines += text[pos] == "\n"
        if newlines > 1:
            break
        pos += 1
    return pos
