"""Offsets between a markdown document, the text its parser reads, and inline token content.

The parser reads the text with CR LF and lone CR turned into LF (and NUL into U+FFFD, same
length); ``SourceMap`` maps offsets in that text back to the document. Inline content is the
block's lines without their container prefixes (``> ``, list indentation, heading ``#``, table
``|``); each content line is found again in its source line, so an inline offset maps back too.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

Locate = Callable[[int], int | None]


class SourceMap:
    def __init__(self, text: str) -> None:
        removed: list[int] = []  # normalized offsets at which a CR was dropped
        out: list[str] = []
        length = 0  # of the normalized text so far
        i = 0
        n = len(text)
        while i < n:
            cr = text.find("\r", i)
            if cr < 0:
                out.append(text[i:])
                break
            out.append(text[i:cr])
            length += cr - i
            if cr + 1 < n and text[cr + 1] == "\n":
                removed.append(length)
            else:
                out.append("\n")  # a lone CR ends a line too: same length
                length += 1
            i = cr + 1
        self.normalized = "".join(out).replace("\0", "\ufffd")
        self._removed = removed
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(self.normalized) if ch == "\n"]

    def original(self, offset: int) -> int:
        return offset + bisect.bisect_right(self._removed, offset - 1) if self._removed \
            else offset

    def line_start(self, line: int) -> int:
        return self._line_starts[line] if line < len(self._line_starts) else len(self.normalized)

    def line_text(self, line: int) -> str:
        start = self.line_start(line)
        end = self.normalized.find("\n", start)
        return self.normalized[start:] if end < 0 else self.normalized[start:end]


def locate_block_lines(source: SourceMap, tokens: list[Any]) -> dict[int, Locate]:
    """For each inline token (by id), a function from content offset to normalized offset."""
    located: dict[int, Locate] = {}
    cursors: dict[int, int] = {}  # per source line, where the next table cell may start
    opener = ""
    for token in tokens:
        if token.type.endswith("_open"):
            opener = token.type
        if token.type != "inline" or token.map is None:
            continue
        in_cell = opener in ("th_open", "td_open")
        located[id(token)] = _locator(source, token.content, token.map[0], in_cell, cursors)
    return located


def _locator(source: SourceMap, content: str, first_line: int, in_cell: bool,
             cursors: dict[int, int]) -> Locate:
    starts: list[int] = []
    places: list[int | None] = []
    pipes: list[list[int]] = []  # per line, content offsets of "|" written "\|" in a cell
    offset = 0
    pieces = content.split("\n")
    for k, piece in enumerate(pieces):
        line = first_line + k
        text = source.line_text(line)
        escaped: list[int] = []
        at: int | None
        if in_cell:
            at, escaped = _cell_position(text, piece, cursors.get(line, 0))
            if at is not None:
                cursors[line] = at + len(piece) + len(escaped)
        else:
            at = _suffix_position(text, piece)
        starts.append(offset)
        places.append(None if at is None else source.line_start(line) + at)
        pipes.append(escaped)
        offset += len(piece) + 1
    lengths = [len(p) for p in pieces]

    def locate(position: int) -> int | None:
        k = bisect.bisect_right(starts, position) - 1
        if k < 0 or places[k] is None or position - starts[k] > lengths[k]:
            return None
        place, within = places[k], position - starts[k]
        backslashes = bisect.bisect_left(pipes[k], within) if pipes[k] else 0
        return None if place is None else place + within + backslashes

    return locate


def _cell_position(text: str, piece: str, cursor: int) -> tuple[int | None, list[int]]:
    """Where a table cell's content starts in its line; the parser read each ``\\|`` as ``|``."""
    if "|" not in piece:
        at = text.find(piece, cursor)
        return (None if at < 0 else at), []
    at = text.find(piece.replace("|", "\\|"), cursor)
    escaped = [i for i, ch in enumerate(piece) if ch == "|"]
    return (None if at < 0 else at), escaped


def _suffix_position(text: str, piece: str) -> int | None:
    """Paragraph and heading lines: the content is what follows the container prefix.

    A tab in the indentation may reach the content as spaces (``- x`` then `` <TAB>![a](b)``);
    the content after those spaces is what is found, so only the spaces map off the line.
    """
    trimmed, wanted = text.rstrip(" \t"), piece.rstrip(" \t")
    if wanted and trimmed.endswith(wanted):
        return len(trimmed) - len(wanted)
    core = wanted.lstrip(" ")
    if core and trimmed.endswith(core) and \
            trimmed[:len(trimmed) - len(core)].rstrip(" ").endswith("\t"):
        return len(trimmed) - len(wanted)  # may be before the line: only spaces map there
    if not piece:
        return len(text)
    at = text.find(piece)
    return None if at < 0 else at
