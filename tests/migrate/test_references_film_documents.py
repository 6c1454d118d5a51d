"""The markdown users write that a hand-written scanner got wrong: each case, LF and CRLF."""

from __future__ import annotations

import pytest

from offload.migrate.references import rewrite_document

URLS = {f"docs/img/{n}.png": f"https://cdn.test/{n}.png" for n in "abcdefgh"}

CASES = [
    ("fence opened on a list-marker line",
     "1. ```sh\n   ![x](img/a.png)\n   ```\n2. ![b](img/b.png)\n\n![c](img/c.png)\n",
     "1. ```sh\n   ![x](img/a.png)\n   ```\n2. ![b](https://cdn.test/b.png)\n\n"
     "![c](https://cdn.test/c.png)\n"),
    ("fence closed by the end of its list item",
     "- ```\n  ![x](img/a.png)\n- ![b](img/b.png)\n\n![c](img/c.png)\n",
     "- ```\n  ![x](img/a.png)\n- ![b](https://cdn.test/b.png)\n\n![c](https://cdn.test/c.png)\n"),
    ("lone backtick in prose",
     "Press ` to scrub.\n\n![a](img/a.png)\n\nThen ` again ![b](img/b.png)\n",
     "Press ` to scrub.\n\n![a](https://cdn.test/a.png)\n\nThen ` again "
     "![b](https://cdn.test/b.png)\n"),
    ("definition in a list item and in a blockquote",
     "- [a]: img/a.png\n\n> [b]: img/b.png\n\n![x][a] ![y][b]\n",
     "- [a]: https://cdn.test/a.png\n\n> [b]: https://cdn.test/b.png\n\n![x][a] ![y][b]\n"),
    ("definition label across lines",
     "[front\nview]: img/c.png\n\n![x][front view]\n",
     "[front\nview]: https://cdn.test/c.png\n\n![x][front view]\n"),
    ("escaped bracket is text", r"\[b](img/b.png) [a](img/a.png)",
     r"\[b](img/b.png) [a](https://cdn.test/a.png)"),
    ("]( inside link text", "[see ](img/a.png) here](img/b.png)",
     "[see ](https://cdn.test/a.png) here](img/b.png)"),
    ("autolink-looking text is left alone", "<img/a.png> and [a](img/a.png)",
     "<img/a.png> and [a](https://cdn.test/a.png)"),
    ("indented code block", "Para.\n\n    ![x](img/a.png)\n\n![b](img/b.png)\n",
     "Para.\n\n    ![x](img/a.png)\n\n![b](https://cdn.test/b.png)\n"),
    ("tilde fence inside a blockquote", "> ~~~\n> ![x](img/a.png)\n> ~~~\n> ![b](img/b.png)\n",
     "> ~~~\n> ![x](img/a.png)\n> ~~~\n> ![b](https://cdn.test/b.png)\n"),
    ("markdown inside an HTML block is HTML", "<div>\n![x](img/a.png)\n</div>\n\n![b](img/b.png)\n",
     "<div>\n![x](img/a.png)\n</div>\n\n![b](https://cdn.test/b.png)\n"),
    ("table cells", "| shot | frame |\n|---|---|\n| 1 | ![a](img/a.png) |\n| 2 | [b](img/b.png) |\n",
     "| shot | frame |\n|---|---|\n| 1 | ![a](https://cdn.test/a.png) |\n"
     "| 2 | [b](https://cdn.test/b.png) |\n"),
    ("heading with closing hashes", "## Mira ![a](img/a.png) ##\n",
     "## Mira ![a](https://cdn.test/a.png) ##\n"),
    ("deep list item", "- a\n  - b\n    - ![d](img/d.png)\n", "- a\n  - b\n    - ![d](https://cdn.test/d.png)\n"),
    ("code span next to an image", "`![x](img/a.png)` ![b](img/b.png)",
     "`![x](img/a.png)` ![b](https://cdn.test/b.png)"),
]



HTML_URLS = {**URLS, "docs/img/a&copy_2.png": "https://cdn.test/a&copy_2.png",
             "docs/img/e f.png": "https://cdn.test/e%20f.png"}
HTML_CASES = [
    ("comment left alone", '<!-- <img src="img/a.png"> --><img src="img/b.png">',
     '<!-- <img src="img/a.png"> --><img src="https://cdn.test/b.png">'),
    ("script text left alone", '<script>var s = "<img src=\\"img/a.png\\">";</script>'
     '<img src="img/b.png">',
     '<script>var s = "<img src=\\"img/a.png\\">";</script><img src="https://cdn.test/b.png">'),
    ("textarea text left alone", '<textarea><img src="img/a.png"></textarea><img src=img/b.png>',
     '<textarea><img src="img/a.png"></textarea><img src=https://cdn.test/b.png>'),
    ("ampersand escaped in an attribute", '<img src="img/a&amp;copy_2.png">',
     '<img src="https://cdn.test/a&amp;copy_2.png">'),
    ("character references in style", '<div style="background: url(&quot;img/c.png&quot;)">',
     '<div style="background: url(&quot;https://cdn.test/c.png&quot;)">'),
    ("og:image meta", '<meta property="og:image" content="img/d.png"><meta name="x" content="img/a.png">',
     '<meta property="og:image" content="https://cdn.test/d.png"><meta name="x" content="img/a.png">'),
    ("object data and xlink:href", '<object data="img/e.png"></object><svg><image xlink:href="img/f.png"/></svg>',
     '<object data="https://cdn.test/e.png"></object><svg><image xlink:href="https://cdn.test/f.png"/></svg>'),
    ("data-srcset candidates", '<img data-srcset="img/g.png 1x, img/h.png 2x">',
     '<img data-srcset="https://cdn.test/g.png 1x, https://cdn.test/h.png 2x">'),
    ("style element css", "<style>.a { background: url('img/a.png') }</style>",
     "<style>.a { background: url('https://cdn.test/a.png') }</style>"),
]



CSS_URLS = {**URLS, "docs/img/my shot.png": "https://cdn.test/my%20shot.png",
            'docs/img/q"x.png': "https://cdn.test/q%22x.png"}
CSS_CASES = [
    ("escaped space in url()", r".a{background:url(img/my\ shot.png)}",
     ".a{background:url(https://cdn.test/my%20shot.png)}"),
    ("escaped quote in a string", r'.a{background:url("img/q\"x.png")}',
     '.a{background:url("https://cdn.test/q%22x.png")}'),
    ("comment left alone", "/* url(img/a.png) */ .b{background:url(img/b.png)}",
     "/* url(img/a.png) */ .b{background:url(https://cdn.test/b.png)}"),
    ("string content left alone", '.a::after{content:"url(img/a.png)"} .b{background:url(img/b.png)}',
     '.a::after{content:"url(img/a.png)"} .b{background:url(https://cdn.test/b.png)}'),
    ("@import string", '@import "img/c.png";', '@import "https://cdn.test/c.png";'),
    ("image-set strings and urls", ".a{background-image:image-set(\"img/d.png\" 1x, url('img/e.png') 2x)}",
     ".a{background-image:image-set(\"https://cdn.test/d.png\" 1x, url('https://cdn.test/e.png') 2x)}"),
    ("upper-case URL with spaces", '.a{background:URL(  "img/f.png"  )}',
     '.a{background:URL(  "https://cdn.test/f.png"  )}'),
]


# (document, text around each case, URLs, cases): every case in LF and in CRLF
DOCUMENTS = [("docs/page.md", ("", ""), URLS, CASES),
             ("docs/page.html", ("<p>\n", "\n</p>\n"), HTML_URLS, HTML_CASES),
             ("docs/site.css", ("/* preview */\n", "\n"), CSS_URLS, CSS_CASES)]
ALL = [(doc, around, urls, case) for doc, around, urls, cases in DOCUMENTS for case in cases]


@pytest.mark.parametrize(("doc", "around", "urls", "case"), ALL,
                         ids=[f"{doc.rsplit('.', 1)[1]}-{case[0]}" for doc, _, _, case in ALL])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_document_case(doc: str, around: tuple[str, str], urls: dict[str, str],
                       case: tuple[str, str, str], newline: str) -> None:
    _name, source, expected = case
    before, after = around
    data = (before + source + after).replace("\n", newline).encode("utf-8")
    result = rewrite_document(doc, data, urls.get)
    assert result.data.decode("utf-8") == (before + expected + after).replace("\n", newline)
