"""Markdown YAML front matter: path values rewritten byte for byte, the body parsed as before."""

from __future__ import annotations

import pytest

from offload.migrate.references import find_references, rewrite_document
from offload.migrate.sites import SiteRoot

URLS = {"posts/cover.png": "https://cdn.test/cover.png", "assets/og.png": "https://cdn.test/og.png",
        "site/assets/og.png": "https://cdn.test/site-og.png"}

CASES = [
    ("values, any key", "---\nimage: cover.png\nog_image: '/assets/og.png'\n---\n# T\n",
     "---\nimage: https://cdn.test/cover.png\nog_image: 'https://cdn.test/og.png'\n---\n# T\n"),
    ("CRLF and ... closing", "---\r\nthumbnail: \"cover.png\"  # c\r\n...\r\nbody\r\n",
     "---\r\nthumbnail: \"https://cdn.test/cover.png\"  # c\r\n...\r\nbody\r\n"),
    ("front matter and body", "---\nimage: cover.png\n---\n![x](cover.png)\n",
     "---\nimage: https://cdn.test/cover.png\n---\n![x](https://cdn.test/cover.png)\n"),
    ("not at the top: not front matter", "\n---\nimage: cover.png\n---\n", None),
    ("never closed: not front matter", "---\nimage: cover.png\n", None),
    ("a list and a title", "---\ngallery: [cover.png, x]\ntitle: cover.png is nice\n---\n",
     "---\ngallery: [https://cdn.test/cover.png, x]\ntitle: cover.png is nice\n---\n"),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_front_matter_values(name: str, text: str, expected: str | None) -> None:
    result = rewrite_document("posts/p.md", text.encode(), URLS.get)
    assert result.data.decode() == (expected if expected is not None else text)


def test_front_matter_value_reads_the_site_base_after_the_root() -> None:
    text = b"---\nimage: /assets/og.png\nbanner: assets/none.png\n---\n"
    root = (SiteRoot("site/", "site/"),)
    assert URLS["site/assets/og.png"] not in rewrite_document(
        "site/p.md", text, URLS.get, roots=root).data.decode()  # the root reading wins
    only_site = {"site/assets/og.png": "https://cdn.test/site-og.png"}
    rewritten = rewrite_document("site/p.md", text, only_site.get, roots=root)
    assert rewritten.data.decode().startswith("---\nimage: https://cdn.test/site-og.png\n")
    assert [(r.target, r.resolved) for r in rewritten.unresolved] == [
        ("assets/none.png", "assets/none.png")]
    assert [r.line for r in find_references("site/p.md", text, None, root)] == [2, 3]
