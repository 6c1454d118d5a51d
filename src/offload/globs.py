"""The one glob matcher for offload.yaml patterns (artifacts, references, recipes).

Cheap to import: it avoids ``fnmatch`` (which imports ``re``) for the usual ``*``-only
patterns, because the hook path uses it.
"""

from __future__ import annotations


def glob_match(pattern: str, path: str) -> bool:
    """gitignore-like: a pattern without ``/`` matches the file name, otherwise the path;
    a trailing ``/`` matches everything under that folder."""
    if pattern.endswith("/"):
        folder = pattern.lstrip("/")
        return path.startswith(folder) or ("/" + folder) in ("/" + path)
    subject = path if "/" in pattern else path.rpartition("/")[2]
    pattern = pattern.lstrip("/")
    if "?" in pattern or "[" in pattern:
        from fnmatch import fnmatchcase

        return fnmatchcase(subject, pattern)
    return _star_match(pattern, subject)


def _star_match(pattern: str, text: str) -> bool:
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == text
    first, last = parts[0], parts[-1]
    if not text.startswith(first) or len(text) < len(first) + len(last):
        return False
    if not text.endswith(last):
        return False
    pos, end = len(first), len(text) - len(last)
    for middle in parts[1:-1]:
        found = text.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return True


def first_match(patterns: tuple[str, ...], path: str, fold_case: bool = False) -> str | None:
    subject = path.lower() if fold_case else path
    for pattern in patterns:
        if glob_match(pattern.lower() if fold_case else pattern, subject):
            return pattern
    return None
