"""Shared pieces of reference rewriting: spans, path resolution and per-context escaping."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
# "&#" opens an HTML character reference, not a fragment.
_SUFFIX_MARK = re.compile(r"\?|(?<!&)#")


@dataclass(frozen=True)
class Span:
    """One reference found in a document's text.

    ``text[start:end]`` is what a URL replaces; ``suffix`` is written after the escaped URL
    (the fragment or query, already in the document's own syntax); ``path`` is the decoded
    repository path the target names; ``data_value`` marks JSON/YAML values, which may also
    be read from the repository root.
    """

    start: int
    end: int
    target: str
    path: str
    suffix: str
    kind: str
    context: str
    data_value: bool = False
    note: str | None = None  # why this mention is listed and never rewritten ("in code", …)


def is_url(target: str) -> bool:
    return target.startswith("//") or _SCHEME.match(target) is not None


def split_suffix(target: str) -> tuple[str, str]:
    """Split ``a.png?v=1#top`` into ``("a.png", "?v=1#top")``."""
    match = _SUFFIX_MARK.search(target)
    cut = match.start() if match else len(target)
    return target[:cut], target[cut:]


def make_span(start: int, end: int, raw: str, kind: str, context: str,
              decode: Callable[[str], str], note: str | None = None) -> Span | None:
    """A span for a link target written as ``raw`` at ``start``, or None if it is no path;
    ``note``: why it is only listed."""
    if not raw or is_url(raw) or "\n" in raw:
        return None
    head, suffix = split_suffix(raw)
    path = decode(head)
    if not _names_a_file(path):
        return None
    return Span(start, end, raw, path, suffix, kind, context, note=note)


def _names_a_file(path: str) -> bool:
    return bool(path) and not path.endswith("/") and path.rsplit("/", 1)[-1] not in (".", "..")


def looks_like_path_value(value: str) -> bool:
    """Whether a JSON/YAML string value is exactly a path worth resolving."""
    if not value or len(value) > 1024 or value != value.strip() or is_url(value):
        return False
    if any(ord(ch) < 0x20 for ch in value):
        return False
    head = split_suffix(value)[0]
    return _names_a_file(head) and _EXTENSION.search(head) is not None


def resolve(doc_path: str, path: str, from_root: bool = False) -> str | None:
    """The normalised repository path ``path`` names from ``doc_path``; None if it escapes."""
    parts: list[str] = [] if from_root or path.startswith("/") else doc_path.split("/")[:-1]
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(segment)
    return "/".join(parts) or None


_ENCODE = {
    "md-raw": " <>\t",
    "md-angle": "<>\n",
    "attr-dq": '"',
    "attr-sq": "'",
    "attr-uq": " \t\n\"'=<>`",
    "srcset-dq": ' \t\n",',
    "srcset-sq": " \t\n',",
    "srcset-uq": " \t\n\"'=<>`,",
    "css-dq": '"\n\\',
    "css-sq": "'\n\\",
    "css-uq": " \t\n\"'()\\",
    "yaml-plain": "",
}


@functools.cache
def _percent_table(unsafe: str) -> dict[int, str]:
    return {ord(ch): f"%{ord(ch):02X}" for ch in unsafe}


def escape(text: str, context: str) -> str:
    """``text`` (a URL) made safe to stand where a target of ``context`` stood."""
    if context in ("json", "yaml-dq"):
        return json.dumps(text, ensure_ascii=False)[1:-1]
    if context == "yaml-sq":
        return text.replace("'", "''")
    in_attribute = context.startswith(("attr-", "srcset-")) or context.endswith("-attr")
    unsafe = _ENCODE[context.removesuffix("-attr")] + ("\"'" if context.endswith("-attr") else "")
    if context == "md-raw" and text.count("(") != text.count(")"):
        unsafe += "()"
    escaped = text.translate(_percent_table(unsafe))
    if in_attribute:
        # a raw "&" in an attribute opens a character reference (&copy_2 reads as ©_2)
        escaped = escaped.replace("&", "&amp;")
    return escaped
