"""Markdown, HTML and CSS reference rewriting, table-driven."""

from __future__ import annotations

import pytest

from offload.migrate.references import Reference, document_kind, find_references, rewrite_document

URLS = {
    "docs/img/a.png": "https://cdn.test/a.png",
    "docs/img/b.png": "https://cdn.test/b.png",
    "img/root.png": "https://cdn.test/root.png",
    "docs/img/my shot.png": "https://cdn.test/my%20shot.png",
    "docs/img/shot (1).png": "https://cdn.test/shot%20(1).png",
    "docs/img/half(.png": "https://cdn.test/half(.png",
    "docs/img/Zoë.png": "https://cdn.test/Zo%C3%AB.png",
    "shared/c.png": "https://cdn.test/c.png",
    "docs/img/q'uote.png": "https://cdn.test/q'uote.png",
}

MARKDOWN = [
    ("image", "![a](img/a.png)", "![a](https://cdn.test/a.png)"),
    ("link", "[a](img/a.png)", "[a](https://cdn.test/a.png)"),
    ("title kept", '![a](img/a.png "Front view")', '![a](https://cdn.test/a.png "Front view")'),
    ("single-quoted title", "![a](img/a.png 'T')", "![a](https://cdn.test/a.png 'T')"),
    ("paren title", "![a](img/a.png (T))", "![a](https://cdn.test/a.png (T))"),
    ("angle target with space", "![s](<img/my shot.png>)", "![s](<https://cdn.test/my%20shot.png>)"),
    ("percent-encoded space", "![s](img/my%20shot.png)", "![s](https://cdn.test/my%20shot.png)"),
    ("balanced parentheses", "![s](img/shot%20(1).png)", "![s](https://cdn.test/shot%20(1).png)"),
    ("unbalanced parenthesis escaped", r"![s](img/half\(.png)", "![s](https://cdn.test/half%28.png)"),
    ("non-ASCII", "![z](img/Zoë.png)", "![z](https://cdn.test/Zo%C3%AB.png)"),
    ("non-ASCII percent-encoded", "![z](img/Zo%C3%AB.png)", "![z](https://cdn.test/Zo%C3%AB.png)"),
    ("fragment kept", "[a](img/a.png#frame-2)", "[a](https://cdn.test/a.png#frame-2)"),
    ("query kept", "[a](img/a.png?v=3#x)", "[a](https://cdn.test/a.png?v=3#x)"),
    ("root-relative", "![r](/img/root.png)", "![r](https://cdn.test/root.png)"),
    ("parent dir", "![c](../shared/c.png)", "![c](https://cdn.test/c.png)"),
    ("dot segments", "![c](./img/../img/a.png)", "![c](https://cdn.test/a.png)"),
    ("several per line", "![a](img/a.png) and ![b](img/b.png)",
     "![a](https://cdn.test/a.png) and ![b](https://cdn.test/b.png)"),
    ("image inside link", "[![a](img/a.png)](img/b.png)",
     "[![a](https://cdn.test/a.png)](https://cdn.test/b.png)"),
    ("definition", "[hero]: img/a.png", "[hero]: https://cdn.test/a.png"),
    ("definition with title", '[hero]: <img/my shot.png> "T"', '[hero]: <https://cdn.test/my%20shot.png> "T"'),
    ("indented definition", "   [hero]: ../shared/c.png", "   [hero]: https://cdn.test/c.png"),
    ("embedded HTML", '<img src="img/a.png" width=200>', '<img src="https://cdn.test/a.png" width=200>'),
    ("URL untouched", "![u](https://example.com/img/a.png)", None),
    ("data URL untouched", "![u](data:image/png;base64,AAAA)", None),
    ("mailto untouched", "[m](mailto:a@b.c)", None),
    ("unknown target untouched", "![x](img/unknown.png)", None),
    ("fragment-only link untouched", "[top](#top)", None),
    ("escaping the repo untouched", "![e](../../../etc/a.png)", None),
    ("inline code span untouched", "use `![a](img/a.png)` to embed", None),
    ("fenced block untouched", "```md\n![a](img/a.png)\n```\n", None),
    ("tilde fence untouched", "~~~\n[hero]: img/a.png\n~~~\n", None),
    ("footnote is not a definition", "[^1]: img/a.png", None),
    ("space in raw target is not a link", "![s](img/my shot.png)", None),
    ("escaped bracket is not a link", r"\[a\](img/a.png)", None),
]


@pytest.mark.parametrize(("name", "source", "expected"), MARKDOWN, ids=[m[0] for m in MARKDOWN])
def test_markdown(name: str, source: str, expected: str | None) -> None:
    result = rewrite_document("docs/page.md", source.encode(), URLS.get)
    assert result.data.decode() == (source if expected is None else expected)
    assert not result.not_utf8


def test_code_after_fence_closes_is_rewritten() -> None:
    source = "```\n![a](img/a.png)\n```\n![b](img/b.png)\n````\n```\n![a](img/a.png)\n````\n"
    result = rewrite_document("docs/page.md", source.encode(), URLS.get)
    assert result.data.decode() == source.replace("(img/b.png)", "(https://cdn.test/b.png)")
    assert [r.line for r in result.rewritten] == [4]


HTML = [
    ("src", '<img src="img/a.png">', '<img src="https://cdn.test/a.png">'),
    ("single quotes", "<img src='img/a.png'>", "<img src='https://cdn.test/a.png'>"),
    ("unquoted", "<img src=img/a.png>", "<img src=https://cdn.test/a.png>"),
    ("href", '<a href="../shared/c.png">c</a>', '<a href="https://cdn.test/c.png">c</a>'),
    ("poster", '<video poster="img/a.png" src="clip.mp4">', '<video poster="https://cdn.test/a.png" src="clip.mp4">'),
    ("data-src", '<img data-src="img/b.png" class=lazy>', '<img data-src="https://cdn.test/b.png" class=lazy>'),
    ("upper-case attribute", '<IMG SRC="img/a.png">', '<IMG SRC="https://cdn.test/a.png">'),
    ("spaces around =", '<img src = "img/a.png" >', '<img src = "https://cdn.test/a.png" >'),
    ("srcset every candidate", '<img srcset="img/a.png 1x, img/b.png 2x">',
     '<img srcset="https://cdn.test/a.png 1x, https://cdn.test/b.png 2x">'),
    ("srcset width descriptors, no spaces", '<img srcset="img/a.png 640w,img/b.png 1280w">',
     '<img srcset="https://cdn.test/a.png 640w,https://cdn.test/b.png 1280w">'),
    ("srcset single candidate", '<img srcset="img/a.png">', '<img srcset="https://cdn.test/a.png">'),
    ("entity in path", '<img src="img/my&#32;shot.png">', '<img src="https://cdn.test/my%20shot.png">'),
    ("quote in URL escaped", "<img src='img/q&#39;uote.png'>", "<img src='https://cdn.test/q%27uote.png'>"),
    ("style attribute", '<div style="background: url(img/a.png)">', '<div style="background: url(https://cdn.test/a.png)">'),
    ("style block", "<style>.h { background: url('/img/root.png') }</style>",
     "<style>.h { background: url('https://cdn.test/root.png') }</style>"),
    ("other attribute untouched", '<img alt="img/a.png" src="img/b.png">', '<img alt="img/a.png" src="https://cdn.test/b.png">'),
    ("text untouched", "<p>img/a.png</p>", None),
    ("URL untouched", '<img src="//cdn.example/a.png">', None),
]


@pytest.mark.parametrize(("name", "source", "expected"), HTML, ids=[h[0] for h in HTML])
def test_html(name: str, source: str, expected: str | None) -> None:
    result = rewrite_document("docs/page.html", source.encode(), URLS.get)
    assert result.data.decode() == (source if expected is None else expected)


CSS = [
    ("unquoted", ".a{background:url(img/a.png)}", ".a{background:url(https://cdn.test/a.png)}"),
    ("double quoted", '.a{background:url("img/a.png")}', '.a{background:url("https://cdn.test/a.png")}'),
    ("single quoted", ".a{background:url( 'img/b.png' )}", ".a{background:url( 'https://cdn.test/b.png' )}"),
    ("parentheses escaped unquoted", ".a{b:url(img/shot%20%281%29.png)}", ".a{b:url(https://cdn.test/shot%20%281%29.png)}"),
    ("quoted name with space", '.a{b:url("img/my shot.png")}', '.a{b:url("https://cdn.test/my%20shot.png")}'),
    ("two in one declaration", ".a{b:url(img/a.png), url(img/b.png)}",
     ".a{b:url(https://cdn.test/a.png), url(https://cdn.test/b.png)}"),
    ("URL untouched", ".a{b:url(data:image/png;base64,AA)}", None),
]


@pytest.mark.parametrize(("name", "source", "expected"), CSS, ids=[c[0] for c in CSS])
def test_css(name: str, source: str, expected: str | None) -> None:
    result = rewrite_document("docs/site.css", source.encode(), URLS.get)
    assert result.data.decode() == (source if expected is None else expected)


def test_references_report_line_target_resolution_and_kind() -> None:
    source = ("# T\r\n![a](img/a.png \"x\") [d][hero]\r\n\r\n[hero]: ../../out.png\r\n"
              '<img srcset="img/b.png 2x">\r\n')
    assert find_references("docs/page.md", source.encode()) == [
        Reference(2, "img/a.png", "docs/img/a.png", "markdown"),
        Reference(4, "../../out.png", None, "markdown-def"),
        Reference(5, "img/b.png", "docs/img/b.png", "html"),
    ]


def test_crlf_kept_and_unchanged_bytes_identical() -> None:
    source = b"a\r\n![a](img/a.png)\r\n![x](img/none.png)\r\n"
    result = rewrite_document("docs/page.md", source, URLS.get)
    assert result.data == source.replace(b"img/a.png", b"https://cdn.test/a.png")
    untouched = rewrite_document("docs/page.md", b"no refs\r\n", URLS.get)
    assert untouched.data == b"no refs\r\n" and untouched.rewritten == []


def test_unresolved_lists_artifact_like_targets_only() -> None:
    source = b"![a](img/a.png) ![m](img/missing.png) [n](notes.md) ![e](../../x.png)"
    result = rewrite_document("docs/page.md", source, URLS.get,
                              looks_like_artifact=lambda p: p.endswith(".png"))
    assert [r.target for r in result.rewritten] == ["img/a.png"]
    assert [(r.target, r.resolved) for r in result.unresolved] == [
        ("img/missing.png", "docs/img/missing.png"), ("../../x.png", None)]


def test_not_utf8_left_alone() -> None:
    source = "![a](img/a.png) caf\xe9".encode("latin-1")
    result = rewrite_document("docs/page.md", source, URLS.get)
    assert result.not_utf8 and result.data == source and result.rewritten == []
    assert find_references("docs/page.md", source) == []


@pytest.mark.parametrize(("path", "kind"), [
    ("a/README.md", "markdown"), ("x.MARKDOWN", "markdown"), ("site/index.html", "html"),
    ("x.htm", "html"), ("s.css", "css"), ("d.json", "json"), ("d.yaml", "yaml"),
    ("d.yml", "yaml"), ("run.py", None), (".md", None), ("Makefile", None),
])
def test_document_kind(path: str, kind: str | None) -> None:
    assert document_kind(path) == kind


def test_unsupported_document_is_unchanged() -> None:
    assert rewrite_document("run.py", b"open('img/a.png')", URLS.get).data == b"open('img/a.png')"
