"""Credentials in staged text: found by line, reported by file and line, never echoed.

Plain string scanning instead of regular expressions keeps ``re`` off the hook path.
"""

from __future__ import annotations

# Assignment names whose value is a secret (compared lower-case, quotes and `export` removed).
SECRET_NAMES = {
    "secret_access_key": "S3 secret access key",
    "aws_secret_access_key": "AWS secret access key",
    "gemini_api_key": "Gemini API key",
    "google_api_key": "Google API key",
}
PLACEHOLDERS = ("your", "xxx", "changeme", "change-me", "example", "replace", "redacted",
                "placeholder", "dummy", "<", "${", "$(", "{{", "...", "…", "***", "todo")
TOKEN_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
HEX = frozenset(b"0123456789abcdefABCDEF")
# Cheap pre-filter: a file without any of these cannot contain what we look for.
HINTS = (b"secret", b"SECRET", b"Secret", b"api_key", b"API_KEY", b"AKIA", b"ASIA")


def find_credentials(data: bytes) -> list[tuple[int, str]]:
    """(line number, kind) for every line that holds a credential."""
    if not any(hint in data for hint in HINTS):
        return []
    found: list[tuple[int, str]] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        kind = _assigned_secret(line) or _aws_pair(line)
        if kind:
            found.append((number, kind))
    return found


def _assigned_secret(line: bytes) -> str | None:
    for sep in (b"=", b":"):
        name, found, value = line.partition(sep)
        if not found:
            continue
        key = name.strip().strip(b"\"'").lower()
        if key.startswith(b"export "):
            key = key[7:].strip()
        kind = SECRET_NAMES.get(key.decode("latin-1"))
        if kind and _real_value(value):
            return kind
    return None


def _real_value(raw: bytes) -> bool:
    value = raw.split(b" #", 1)[0].strip().strip(b",").strip().strip(b"\"'").strip()
    if len(value) < 8:
        return False
    lowered = value.decode("utf-8", "replace").lower()
    return not any(marker in lowered for marker in PLACEHOLDERS)


def _aws_pair(line: bytes) -> str | None:
    """A 40-character AWS-style secret next to an access key id or the word 'secret'."""
    lowered = line.lower()
    if b"secret" not in lowered and b"akia" not in lowered and b"asia" not in lowered:
        return None
    for token in _tokens(line):
        if (len(token) == 40 and not all(c in HEX for c in token)
                and any(65 <= c <= 90 for c in token) and any(97 <= c <= 122 for c in token)
                and _real_value(token)):
            return "AWS-style secret key"
    return None


def _tokens(line: bytes) -> list[bytes]:
    tokens, current = [], bytearray()
    for c in line:
        if c in TOKEN_CHARS:
            current.append(c)
        else:
            if current:
                tokens.append(bytes(current))
            current = bytearray()
    if current:
        tokens.append(bytes(current))
    return tokens
