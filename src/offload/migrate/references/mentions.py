"""File names mentioned where no parser sees a reference: listed, never rewritten.

Code blocks, HTML comments, ``<script>``/``<textarea>``/``<title>`` text, CSS comments and plain
CSS strings may name a migrated file; a browser never loads it from there, so the name stays as
written, but the plan lists it (when it looks like an artifact) with the reason it was left
alone. So does a destination the parser read that offload could not place byte for byte, and a
``url()`` in a ``style`` attribute written with an HTML character reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from offload.migrate.references.base import Span, make_span

# a path-like word ending in an extension, as code and comments show file names
_MENTION = re.compile(
    r"(?<![\w./%-])(?:\.{1,2}/|/)?[\w%-][\w./%-]*\.[A-Za-z0-9]{1,10}(?![\w/%-])")

IN_CODE = "in code"
IN_HTML_COMMENT = "in an HTML comment"
IN_CSS_COMMENT = "in a CSS comment"
IN_CSS_STRING = "in a CSS string"
NOT_FOUND = "not found byte for byte where the parser read it"
HTML_ENTITY = "HTML character reference in the target"
MARKDOWN_IN_HTML = "markdown inside an HTML block (shown as text, not a link)"


def in_text_of(element: str) -> str:
    return f"in {element} text"


def mention_spans(text: str, begin: int, end: int, kind: str, note: str,
                  decode: Callable[[str], str],
                  place: Callable[[int], int] | None = None) -> list[Span]:
    """Every path-like word of ``text[begin:end]``, as a span listed with ``note``; ``place``
    maps an offset of ``text`` to one of the document."""
    spans = []
    for match in _MENTION.finditer(text, begin, end):
        start, stop = (match.start(), match.end()) if place is None else \
            (place(match.start()), place(match.end()))
        span = make_span(start, stop, match.group(), kind, "mention", decode, note)
        if span is not None:
            spans.append(span)
    return spans
