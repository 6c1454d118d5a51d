"""Quoted paths inside template expressions: listed for the user, never rewritten.

``<img src="{{ 'img/logo.png' | relative_url }}">`` (Liquid), ``{{ "img/x.png" | relURL }}``
(Hugo) and ``{% static 'img/x.png' %}`` (Jinja/Django) name a file only once the site generator
runs; offload cannot tell what the filter does to the string, so it lists the literal when it
resolves to a migrated file (from the document or from the repository root) and leaves it alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from offload.migrate.references.base import is_url, resolve, split_suffix

# bounded: a document full of unclosed "{{" costs linear time, not quadratic
_EXPRESSION = re.compile(r"\{\{.{0,300}?\}\}|\{%.{0,300}?%\}", re.S)
_LITERAL = re.compile(r"'([^'\n]+)'|\"([^\"\n]+)\"")


@dataclass(frozen=True)
class TemplateReference:
    line: int
    literal: str
    resolves_to: str


def template_references(doc_path: str, data: bytes, is_migrated: Callable[[str], bool]
                        ) -> list[TemplateReference]:
    if b"{{" not in data and b"{%" not in data:
        return []
    text = data.decode("utf-8", "replace")
    found: list[TemplateReference] = []
    for expression in _EXPRESSION.finditer(text):
        for literal in _LITERAL.finditer(expression.group()):
            value = literal.group(1) or literal.group(2)
            if is_url(value):
                continue
            path = split_suffix(value)[0]
            for candidate in (resolve(doc_path, path), resolve(doc_path, path, from_root=True)):
                if candidate is not None and is_migrated(candidate):
                    line = text.count("\n", 0, expression.start() + literal.start()) + 1
                    found.append(TemplateReference(line, value, candidate))
                    break
    return found
