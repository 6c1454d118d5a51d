"""Nothing missed silently: artifact names no parser calls a reference are listed with a reason.

HTML comments, script/textarea/title text, CSS comments and plain strings, markdown inside an
HTML block, and destinations the parser read that offload cannot place byte for byte: each is
listed (line, target, reason) and its bytes stay exactly as written, LF and CRLF alike.
"""

from __future__ import annotations

import pytest

from offload.migrate.references import rewrite_document
from offload.migrate.references.mentions import (
    HTML_ENTITY,
    IN_CSS_COMMENT,
    IN_CSS_STRING,
    IN_HTML_COMMENT,
    MARKDOWN_IN_HTML,
    NOT_FOUND,
)

URLS = {f"docs/img/{n}.png": f"https://cdn.test/{n}.png" for n in "abcd"}
URLS["docs/img/cut.psd"] = "https://cdn.test/cut.psd"  # migrated, though no *.png


def _artifact(path: str) -> bool:
    return path.endswith(".png")


Row = tuple[int, str, str]
CASES: list[tuple[str, str, str, list[Row], list[str]]] = [
    # (id, document, source, listed (line, target, reason), targets rewritten)
    ("HTML comment", "docs/p.html",
     '<!-- old: <img src="img/a.png"> notes.txt -->\n<img src="img/b.png">\n',
     [(1, "img/a.png", IN_HTML_COMMENT)], ["img/b.png"]),
    ("script text", "docs/p.html",
     '<script>\nconst hero = "img/a.png", cut = "img/cut.psd";\n</script>\n<img src=img/b.png>\n',
     [(2, "img/a.png", "in script text"), (2, "img/cut.psd", "in script text")], ["img/b.png"]),
    ("textarea and title text", "docs/p.html",
     '<title>img/c.png</title>\n<textarea><img src="img/a.png"></textarea>\n',
     [(1, "img/c.png", "in title text"), (2, "img/a.png", "in textarea text")], []),
    ("CSS comment and string in a style element", "docs/p.html",
     '<style>\n/* url(img/a.png) */\n.x::after { content: "img/c.png" }\n'
     ".y { background: url(img/b.png) }\n</style>\n",
     [(2, "img/a.png", IN_CSS_COMMENT), (3, "img/c.png", IN_CSS_STRING)], ["img/b.png"]),
    ("character reference inside a style attribute's url()", "docs/p.html",
     '<div style="background: url(img/a&#x2e;png)"></div>\n',
     [(1, "img/a&#x2e;png", HTML_ENTITY)], []),
    ("CSS file", "docs/site.css",
     "/* the hero was img/a.png */\n.c::after { content: 'see img/c%20x.png' }\n"
     '@import /* theme */ "img/d.png";\n.b { background: url(img/b.png) }\n',
     [(1, "img/a.png", IN_CSS_COMMENT), (2, "img/c%20x.png", IN_CSS_STRING)],
     ["img/d.png", "img/b.png"]),
    ("markdown: HTML comments, block and inline", "docs/r.md",
     "<!--\n![a](img/a.png)\n-->\n\nText <!-- img/c.png --> ![b](img/b.png)\n",
     [(2, "img/a.png", IN_HTML_COMMENT), (5, "img/c.png", IN_HTML_COMMENT)], ["img/b.png"]),
    ("markdown: script and markdown inside HTML blocks", "docs/r.md",
     "<script>\nshow('img/a.png')\n</script>\n\n<div>\n![c](img/c.png)\n</div>\n",
     [(2, "img/a.png", "in script text"), (6, "img/c.png", MARKDOWN_IN_HTML)], []),
    ("markdown: escaped pipe inside a destination in a table cell", "docs/r.md",
     "| shot | frame |\n|---|---|\n| 1 | ![a](img/a\\|b.png) ![b](img/b.png) |\n",
     [(3, "img/a|b.png", NOT_FOUND)], ["img/b.png"]),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(("name", "doc", "source", "listed", "rewritten"), CASES,
                         ids=[c[0] for c in CASES])
def test_left_alone_is_listed_with_its_reason(name: str, doc: str, source: str,
                                              listed: list[Row], rewritten: list[str],
                                              newline: str) -> None:
    text = source.replace("\n", newline)
    result = rewrite_document(doc, text.encode(), URLS.get, _artifact)
    assert [(r.line, r.target, why) for r, why in result.left_alone] == listed
    assert [r.target for r in result.rewritten] == rewritten
    assert not result.unresolved
    expected = text
    for target in rewritten:
        expected = expected.replace(target, URLS[f"docs/{target}"], 1)
    assert result.data.decode() == expected  # listed bytes stay exactly as written


def test_names_that_are_no_artifact_are_not_listed() -> None:
    source = "<!-- see notes.txt and https://cdn.test/a.png -->\n<script>load('app.js')</script>\n"
    result = rewrite_document("docs/p.html", source.encode(), URLS.get, _artifact)
    assert result.left_alone == [] and result.data == source.encode()


REWRITTEN_NOW = [
    # destinations the parser reads that used to be skipped without a word
    ("tab-expanded lazy continuation", "- shot\n \t![a](img/a.png)\n",
     "- shot\n \t![a](https://cdn.test/a.png)\n"),
    ("escaped pipes earlier in a table cell",
     "| a | b |\n|---|---|\n| x \\| y \\| ![a](img/a.png) | z |\n",
     "| a | b |\n|---|---|\n| x \\| y \\| ![a](https://cdn.test/a.png) | z |\n"),
    ("character reference in a destination", "![a](img/a&#x2e;png) [d]\n\n[d]: img/b&period;png\n",
     "![a](https://cdn.test/a.png) [d]\n\n[d]: https://cdn.test/b.png\n"),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(("name", "source", "expected"), REWRITTEN_NOW,
                         ids=[c[0] for c in REWRITTEN_NOW])
def test_destinations_once_skipped_are_rewritten(name: str, source: str, expected: str,
                                                 newline: str) -> None:
    result = rewrite_document("docs/r.md", source.replace("\n", newline).encode(), URLS.get,
                              _artifact)
    assert result.data.decode() == expected.replace("\n", newline)
    assert result.left_alone == [] and result.unresolved == []
