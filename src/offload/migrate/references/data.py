"""JSON and YAML string values that are exactly a path, located in the original text.

Values are found with positions so that only their text is replaced: formatting, quoting,
comments and key order stay as written; the file is never re-serialised. Keys are not
references. Values are paths, not URLs: they are not percent-decoded.
"""

from __future__ import annotations

import json
import re

from offload.migrate.references.base import Span, escape, looks_like_path_value, split_suffix

_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\r?\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_JSON_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"')
_JSON_KEY_END = re.compile(r"\s*:")


def scan_json(text: str) -> list[Span]:
    spans: list[Span] = []
    for match in _JSON_STRING.finditer(text):
        if _JSON_KEY_END.match(text, match.end()):
            continue
        try:
            value = json.loads(match.group())
        except ValueError:
            continue
        span = _value_span(match.start() + 1, match.end() - 1, value, "json", "json")
        if span is not None:
            spans.append(span)
    return spans


def front_matter_end(text: str) -> int:
    """Where a markdown file's YAML front matter (``---`` lines at the very top) ends; 0 if none.

    The front matter is read as YAML (its path values are references like a data file's);
    the markdown parser then sees it as blank lines, so offsets stay those of the file.
    """
    opening = _FRONT_MATTER_OPEN.match(text)
    if opening is None:
        return 0
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    return 0 if closing is None else closing.end()


def blank_out(text: str, end: int) -> str:
    """``text`` with its first ``end`` characters turned to spaces, line breaks kept."""
    return re.sub(r"[^\r\n]", " ", text[:end]) + text[end:] if end else text


def scan_yaml(text: str) -> list[Span]:
    import yaml

    spans: list[Span] = []
    previous: object = None
    value_after = (yaml.ValueToken, yaml.BlockEntryToken, yaml.FlowEntryToken,
                   yaml.FlowSequenceStartToken)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken | yaml.TagToken):
                continue
            if isinstance(token, yaml.ScalarToken) and isinstance(previous, value_after):
                span = _yaml_span(text, token)
                if span is not None:
                    spans.append(span)
            previous = token
    except yaml.YAMLError:
        pass  # keep what was found before the first syntax error
    return spans


def _yaml_span(text: str, token: object) -> Span | None:
    start: int = token.start_mark.index  # type: ignore[attr-defined]
    end: int = token.end_mark.index  # type: ignore[attr-defined]
    style = token.style  # type: ignore[attr-defined]
    if style in ("|", ">") or "\n" in text[start:end]:
        return None
    context = {None: "yaml-plain", "'": "yaml-sq", '"': "yaml-dq"}[style]
    if style is not None:
        start, end = start + 1, end - 1
    return _value_span(start, end, token.value, "yaml", context)  # type: ignore[attr-defined]


def _value_span(start: int, end: int, value: str, kind: str, context: str) -> Span | None:
    if not looks_like_path_value(value):
        return None
    path, suffix = split_suffix(value)
    return Span(start, end, value, path, escape(suffix, context), kind, context,
                data_value=True)
