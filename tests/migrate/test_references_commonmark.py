"""Differential test: offload's markdown rewriting against markdown-it-py on the CommonMark spec.

For every spec example, every link or image destination the parser finds that names a file in
the repository must come out as its URL (query and fragment kept), and parsing the output must
give the same token stream apart from those URLs: nothing outside a destination changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from markdown_it import MarkdownIt

from offload.migrate.references import rewrite_document

SPEC = json.loads((Path(__file__).parents[1] / "data" / "commonmark-spec-0.31.2.json")
                  .read_text(encoding="utf-8"))
CDN = "https://cdn.test/"
DOC = "a/b/c/d/doc.md"  # deep enough that every ../ in the examples stays inside
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PARSER = MarkdownIt("commonmark")


def _names_a_file(href: str) -> bool:
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    return bool(path) and not href.startswith("//") and not _SCHEME.match(href) \
        and not path.endswith("/") and path.rsplit("/", 1)[-1] not in (".", "..")


def _skeleton(markdown: str, is_ours: Any) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []

    def add(tokens: list[Any], in_alt: bool = False) -> None:
        for token in tokens:
            attrs = dict(token.attrs)
            for name in ("href", "src"):
                if name in attrs and not in_alt and is_ours(str(attrs[name])):
                    attrs[name] = "<file>"
            # an inline token's content is its raw source (destinations included): its children
            # carry what it means
            content = "<raw>" if token.type.startswith("html") or token.type == "inline" \
                else token.content
            out.append((token.type, token.tag, token.nesting, content, sorted(attrs.items())))
            # an image's children are its alt text: plain text once rendered, never a link
            add(token.children or [], in_alt or token.type == "image")

    add(_PARSER.parse(markdown))
    return out


def _url(path: str) -> str:
    return CDN + quote(path, safe="/")


def _destinations(markdown: str) -> list[str]:
    found: list[str] = []

    def add(tokens: list[Any]) -> None:
        for token in tokens:
            href = token.attrs.get("href") if token.type == "link_open" else \
                token.attrs.get("src") if token.type == "image" else None
            if href is not None and _names_a_file(str(href)):
                found.append(str(href))
            if token.type != "image":
                add(token.children or [])

    add(_PARSER.parse(markdown))
    return found


EXAMPLES = [e for e in SPEC if _destinations(e["markdown"])]


def test_the_spec_has_the_destinations_we_count() -> None:
    assert sum(len(_destinations(e["markdown"])) for e in EXAMPLES) == 117


@pytest.mark.parametrize("example", EXAMPLES, ids=[str(e["example"]) for e in EXAMPLES])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_every_relative_destination_becomes_its_url(example: dict[str, Any],
                                                    newline: str) -> None:
    source = example["markdown"].replace("\n", newline)
    result = rewrite_document(DOC, source.encode("utf-8"), _url)
    output = result.data.decode("utf-8")
    before = _skeleton(source, _names_a_file)
    after = _skeleton(output, lambda href: href.startswith(CDN))
    assert after == before, output
    if newline == "\r\n":
        lf = rewrite_document(DOC, example["markdown"].encode("utf-8"), _url).data.decode()
        assert output == lf.replace("\n", "\r\n")
