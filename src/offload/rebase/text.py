"""The byte-level rewrites of one file: documents, offload.lock ``url`` fields and
offload.yaml's ``public_url``. Every other byte stays as it was."""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from offload.errors import ConfigError, UsageError
from offload.manifest import MANIFEST_NAME, parse_manifest

CONFIG_NAME = "offload.yaml"
LINES_KEPT = 1 << 16  # distinct lock lines remembered: about 50 MB at most
SNIPPET = 160
_PUBLIC_URL = re.compile(rb"^(?P<head>\s*public_url\s*:\s*)(?P<value>[^#\r\n]*?)"
                         rb"(?P<tail>\s*(?:#[^\r\n]*)?)(?P<eol>\r?\n?)$")


@dataclass(frozen=True)
class Bases:
    old: str
    new: str

    @classmethod
    def parse(cls, old: str, new: str) -> Bases:
        for name, value in (("--from", old), ("--to", new)):
            if not re.match(r"^(https?|file)://[^\s]+$", value):
                raise UsageError(f"{name} {value!r} is not an http(s):// or file:// URL base",
                                 "pass the public_url bases, e.g. --from https://pub-….r2.dev/"
                                 "prod --to https://assets.example.com/prod")
        bases = cls(old.rstrip("/"), new.rstrip("/"))
        if bases.old == bases.new:
            raise UsageError("--from and --to are the same base", "pass two different bases")
        return bases

    @property
    def old_prefix(self) -> bytes:
        return (self.old + "/").encode("utf-8")


def rebase_file(path: str, data: bytes, bases: Bases, is_doc: bool) -> bytes:
    """``data`` with the old base moved to the new one where ``path``'s kind allows."""
    if path == MANIFEST_NAME:
        return rebase_lock(data, bases)
    if path == CONFIG_NAME:
        return rebase_config(data, bases)
    if is_doc:
        return data.replace(bases.old_prefix, (bases.new + "/").encode("utf-8"))
    return data


def rebase_lock(data: bytes, bases: Bases) -> bytes:
    prefix = bases.old_prefix
    if prefix not in data:
        return data
    done = _rebased_lines(bases)

    def rebased(line: bytes) -> bytes:
        if len(done) >= LINES_KEPT:
            done.clear()
        done[line] = _lock_line(line, bases) if prefix in line else line
        return done[line]

    known = done.get
    return b"\n".join([known(line) or rebased(line) for line in data.split(b"\n")])


@functools.lru_cache(maxsize=2)
def _rebased_lines(bases: Bases) -> dict[bytes, bytes]:
    """Versions of a lock share most lines (a migrated history has thousands of versions of a
    lock with a line per asset): each distinct line is parsed once, then looked up."""
    return {}


def _lock_line(line: bytes, bases: Bases) -> bytes:
    try:
        [entry] = parse_manifest(line.decode("utf-8")).values()
    except (ConfigError, UnicodeDecodeError, ValueError):
        return line  # not an entry: left alone, and listed as a leftover
    if entry.url and entry.url.startswith(bases.old + "/"):
        moved = dataclasses.replace(entry, url=bases.new + entry.url[len(bases.old):])
        return moved.to_line().encode("utf-8")
    return line


def rebase_config(data: bytes, bases: Bases) -> bytes:
    lines = data.splitlines(keepends=True)
    for index, line in enumerate(lines):
        match = _PUBLIC_URL.match(line)
        if not match:
            continue
        value = match.group("value").strip()
        quote = value[:1] if value[:1] in (b'"', b"'") and value[-1:] == value[:1] else b""
        bare = value[1:-1] if quote else value
        if bare.decode("utf-8", "replace").rstrip("/") == bases.old:
            lines[index] = (match.group("head") + quote + bases.new.encode("utf-8") + quote
                            + match.group("tail") + match.group("eol"))
    return b"".join(lines)


def leftovers(data: bytes, bases: Bases) -> list[tuple[int, str]]:
    """(line number, snippet) of every line that still names the old base."""
    old = bases.old.encode("utf-8")
    if old not in data:
        return []
    found: list[tuple[int, str]] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if old in line:
            found.append((number, line.decode("utf-8", "replace").strip()[:SNIPPET]))
    return found
