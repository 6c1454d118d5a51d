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


@pytest.mark.parametrize(("name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_film_document_case(name: str, source: str, expected: str, newline: str) -> None:
    data = source.replace("\n", newline).encode("utf-8")
    result = rewrite_document("docs/page.md", data, URLS.get)
    assert result.data.decode("utf-8") == expected.replace("\n", newline)
