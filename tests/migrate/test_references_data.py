"""JSON and YAML values, root fallback, and path resolution."""

from __future__ import annotations

import pytest

from offload.migrate.references import Reference, find_references, rewrite_document
from offload.migrate.references.base import resolve

URLS = {
    "characters/mira/v2.png": "https://cdn.test/mira-v2.png",
    "data/local.png": "https://cdn.test/local.png",
    "data/both.png": "https://cdn.test/relative-both.png",
    "both.png": "https://cdn.test/root-both.png",
    "scenes/my shot.png": "https://cdn.test/my%20shot.png",
    "scenes/Zoë.png": "https://cdn.test/Zo%C3%AB.png",
    "q.png": "https://cdn.test/it's.png",
}

JSON = [
    ("root fallback", '{"image": "characters/mira/v2.png"}', '{"image": "https://cdn.test/mira-v2.png"}'),
    ("relative first", '{"a": "local.png"}', '{"a": "https://cdn.test/local.png"}'),
    ("relative wins over root", '{"a": "both.png"}', '{"a": "https://cdn.test/relative-both.png"}'),
    ("leading slash is root", '{"a": "/both.png"}', '{"a": "https://cdn.test/root-both.png"}'),
    ("explicit ./ has no root fallback", '{"a": "./characters/mira/v2.png"}', None),
    ("array items", '["local.png", "x", 3, "characters/mira/v2.png"]',
     '["https://cdn.test/local.png", "x", 3, "https://cdn.test/mira-v2.png"]'),
    ("keys untouched", '{"local.png": "local.png"}', '{"local.png": "https://cdn.test/local.png"}'),
    ("formatting kept", '{\n    "b" :  "local.png" ,\n\t"a":1\n}\n', '{\n    "b" :  "https://cdn.test/local.png" ,\n\t"a":1\n}\n'),
    ("escaped slash and unicode", r'{"a": "scenes\/Zo\u00eb.png"}', '{"a": "https://cdn.test/Zo%C3%AB.png"}'),
    ("space in name", '{"a": "scenes/my shot.png"}', '{"a": "https://cdn.test/my%20shot.png"}'),
    ("query and fragment kept", '{"a": "local.png?v=1#f"}', '{"a": "https://cdn.test/local.png?v=1#f"}'),
    ("value with more than a path untouched", '{"a": "see local.png"}', None),
    ("URL untouched", '{"a": "https://x.test/local.png"}', None),
    ("quote in URL escaped", '{"a": "/q.png"}', '{"a": "https://cdn.test/it\'s.png"}'),
    ("invalid JSON still scanned", '{"a": "local.png",}', '{"a": "https://cdn.test/local.png",}'),
]


@pytest.mark.parametrize(("name", "source", "expected"), JSON, ids=[j[0] for j in JSON])
def test_json(name: str, source: str, expected: str | None) -> None:
    result = rewrite_document("data/shots.json", source.encode(), URLS.get)
    assert result.data.decode() == (source if expected is None else expected)


YAML = [
    ("plain value", "image: characters/mira/v2.png\n", "image: https://cdn.test/mira-v2.png\n"),
    ("comment kept", "image: local.png   # hero\n", "image: https://cdn.test/local.png   # hero\n"),
    ("single quoted", "image: 'local.png'\n", "image: 'https://cdn.test/local.png'\n"),
    ("single quote doubled", "image: '/q.png'\n", "image: 'https://cdn.test/it''s.png'\n"),
    ("double quoted", 'image: "scenes/my shot.png"\n', 'image: "https://cdn.test/my%20shot.png"\n'),
    ("double quoted escape", 'image: "scenes/Zo\\u00eb.png"\n', 'image: "https://cdn.test/Zo%C3%AB.png"\n'),
    ("non-ASCII plain", "image: scenes/Zoë.png\n", "image: https://cdn.test/Zo%C3%AB.png\n"),
    ("block sequence", "shots:\n  - local.png\n  - both.png\n",
     "shots:\n  - https://cdn.test/local.png\n  - https://cdn.test/relative-both.png\n"),
    ("flow sequence", "shots: [local.png, /both.png]\n",
     "shots: [https://cdn.test/local.png, https://cdn.test/root-both.png]\n"),
    ("flow mapping", "{a: local.png, b: 2}\n", "{a: https://cdn.test/local.png, b: 2}\n"),
    ("keys untouched", "local.png: local.png\n", "local.png: https://cdn.test/local.png\n"),
    ("tagged and anchored", "a: &x !!str local.png\n", "a: &x !!str https://cdn.test/local.png\n"),
    ("CRLF kept", "a: local.png\r\nb: 1\r\n", "a: https://cdn.test/local.png\r\nb: 1\r\n"),
    ("block scalar untouched", "a: |\n  local.png\n", None),
    ("multi-line plain untouched", "a: local\n  .png\n", None),
    ("several documents", "a: local.png\n---\nb: both.png\n",
     "a: https://cdn.test/local.png\n---\nb: https://cdn.test/relative-both.png\n"),
    ("comment untouched", "# local.png\na: 1\n", None),
    ("after syntax error nothing", "a: local.png\nb: @bad\nc: both.png\n",
     "a: https://cdn.test/local.png\nb: @bad\nc: both.png\n"),
]


@pytest.mark.parametrize(("name", "source", "expected"), YAML, ids=[y[0] for y in YAML])
def test_yaml(name: str, source: str, expected: str | None) -> None:
    result = rewrite_document("data/shots.yaml", source.encode(), URLS.get)
    assert result.data.decode() == (source if expected is None else expected)


def test_data_reports_root_reading_when_neither_is_known() -> None:
    source = b'{"a": "characters/none.png", "b": "../up.png", "c": "Mira", "d": "1.5"}'
    result = rewrite_document("data/shots.json", source, URLS.get,
                              looks_like_artifact=lambda p: p.endswith(".png"))
    assert result.unresolved == [Reference(1, "characters/none.png", "characters/none.png", "json"),
                                 Reference(1, "../up.png", "up.png", "json")]


def test_find_references_uses_known_to_choose_reading() -> None:
    source = b"a: local.png\nb: both.png\n"
    assert [r.resolved for r in find_references("data/s.yml", source)] == ["local.png", "both.png"]
    known = find_references("data/s.yml", source, known=lambda p: p in URLS)
    assert [r.resolved for r in known] == ["data/local.png", "data/both.png"]


@pytest.mark.parametrize(("doc", "target", "expected"), [
    ("docs/a.md", "img/x.png", "docs/img/x.png"),
    ("docs/a.md", "./img/x.png", "docs/img/x.png"),
    ("docs/a.md", "../x.png", "x.png"),
    ("docs/a.md", "../../x.png", None),
    ("a.md", "../x.png", None),
    ("docs/a.md", "/x.png", "x.png"),
    ("docs/a.md", "//x.png", "x.png"),
    ("docs/a.md", "img//x.png", "docs/img/x.png"),
    ("docs/a.md", "/../x.png", None),
    ("docs/deep/a.md", "../../x/../y.png", "y.png"),
])
def test_resolve(doc: str, target: str, expected: str | None) -> None:
    assert resolve(doc, target) == expected
