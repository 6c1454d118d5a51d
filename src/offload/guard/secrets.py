"""Where a buffer holds a credential: the rules, on plain bytes (no ``re`` on the hook path).

Modelled on gitleaks' generic-api-key and gcp-api-key rules and detect-secrets' keyword
detector, narrowed to the credentials an offload user has (S3/R2 secret keys, Gemini and
Google API keys):

- a credential name (``secret_access_key``, ``GEMINI_API_KEY``, ``geminiApiKey``… anywhere in an
  identifier, a quoted JSON key or ``os.environ["…"]``), an assignment (``=``, ``:``, ``:=``,
  ``=>``, ``?=``, or ``,`` after a quoted name as in ``setenv("NAME", "value")``), then a value
  of 10 to 200 token characters, quoted or not, that ends the token;
- a Google API key (``AIza`` and 35 characters) anywhere;
- a 40-character AWS-style secret near an access key id or the word "secret" on its line.

A value is a placeholder, not a credential, only by its own text: a placeholder word, a
template (``${X}``, ``<x>``, ``{{ x }}`` are not token characters), an identifier made of
letters, ``_``, ``.`` and ``-`` only (gitleaks' rule), a sequence, or low entropy. What
follows the value on the line (``# TODO``) never matters.
"""

from __future__ import annotations

NAMES = (("secret", "access", "key", "S3 secret access key"),
         ("gemini", "api", "key", "Gemini API key"),
         ("google", "api", "key", "Google API key"))
# Each name in snake, kebab and camel case, compared lower-case, found by its first word.
NAMED = {first.encode(): tuple(((sep.join((first, *rest))).encode(), kind)
                               for sep in ("_", "-", ""))
         for first, *rest, kind in NAMES}
PLACEHOLDERS = (b"your", b"xxx", b"change", b"example", b"replace", b"redacted", b"placeholder",
                b"dummy", b"fake", b"sample", b"todo", b"insert", b"forgot", b"...")
INDIRECT = (b"file", b"path", b"name", b"url", b"len", b"size", b"id", b"env", b"var", b"ref")
TOKEN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.+/=")
WORDISH = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-")
IDENT = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")
HEX = frozenset(b"0123456789abcdefABCDEF")
QUOTES = frozenset(b"\"'`\\")
CLOSERS = QUOTES | frozenset(b"]")  # after a name: "KEY", 'KEY', \"KEY\", environ["KEY"]
ENDS = frozenset(b"\"'`\\ \t\r\n;,})]&")
SEQUENCES = (b"0123456789abcdefghijklmnopqrstuvwxyz", b"abcdefghijklmnopqrstuvwxyz0123456789")
MIN_VALUE, MAX_VALUE, NEAR = 10, 200, 200
# A match never reaches further than this from where its rule starts looking.
FORWARD, BACK = 512, 256
# Every byte not in TOKEN (or B64) becomes a space, so bytes.split() cuts tokens in C.
_NOT_B64 = bytes(c if c in B64 else 32 for c in range(256))


def first_credential(buffer: bytes, at_start: bool = True, final: bool = True
                     ) -> tuple[int, str] | None:
    """(offset, kind) of the first credential that starts in this buffer's examinable zone.

    A streamed blob is scanned in overlapping buffers: only starts at least BACK bytes after the
    buffer's start (unless it is the blob's start) and FORWARD bytes before its end (unless it
    is the blob's end) are examined, so a rule never sees a cut-off line or value. Six passes
    of ``bytes.find`` over the buffer, each for an anchor the rules then check in place.
    """
    lo = 0 if at_start else BACK
    hi = len(buffer) if final else len(buffer) - FORWARD
    if hi <= lo:
        return None
    lowered = buffer.lower()

    def named(pos: int) -> str | None:
        for variant, kind in NAMED[lowered[pos:pos + 6]]:
            if lowered.startswith(variant, pos) and _assigned(buffer, lowered, pos,
                                                              pos + len(variant)):
                return kind
        return None

    def secret(pos: int) -> str | None:
        return named(pos) or ("AWS-style secret key" if _secret_token_near(buffer, pos) else None)

    def google(pos: int) -> str | None:
        return "Google API key" if _google_key_at(buffer, pos) else None

    def key_id(pos: int) -> str | None:
        return "AWS-style secret key" if _secret_token_near(buffer, pos) else None

    searches = ((lowered, b"secret", secret), (lowered, b"gemini", named),
                (lowered, b"google", named), (buffer, b"AIza", google),
                (buffer, b"AKIA", key_id), (buffer, b"ASIA", key_id))
    best: tuple[int, str] | None = None
    for source, anchor, check in searches:
        end = (hi if best is None else min(hi, best[0])) + len(anchor)
        pos = source.find(anchor, lo, end)
        while pos != -1:
            kind = check(pos)
            if kind:
                best = (pos, kind)
                break
            pos = source.find(anchor, pos + 1, end)
    return best


def is_secret_value(value: bytes) -> bool:
    if not MIN_VALUE <= len(value) <= MAX_VALUE or all(c in WORDISH for c in value):
        return False
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDERS):
        return False
    if any(lowered in sequence for sequence in SEQUENCES):
        return False
    return _entropy(value) >= 3.0


def _assigned(buffer: bytes, lowered: bytes, start: int, i: int) -> bool:
    """Is the name at buffer[start:i] assigned a credential-looking value?"""
    limit = min(len(buffer), start + FORWARD)
    suffix_end = _skip(buffer, i, limit, IDENT, 20)
    if any(word in lowered[i:suffix_end] for word in INDIRECT):
        return False  # SECRET_ACCESS_KEY_FILE=…, gemini_api_key_name: …
    i = _skip(buffer, suffix_end, limit, CLOSERS, 4)
    quoted_name = i > suffix_end
    i = _skip(buffer, i, limit, b" \t", 8)
    op = buffer[i:i + 2]
    if op in (b":=", b"=>", b"?="):
        i += 2
    elif op[:1] in (b"=", b":") and op != b"==":
        i += 1
    elif op[:1] == b"," and quoted_name:
        i += 1
    else:
        return False
    i = _skip(buffer, i, limit, b" \t", 8)
    value_start = i = _skip(buffer, i, limit, QUOTES, 3)
    i = _skip(buffer, i, limit, TOKEN, MAX_VALUE + 1)
    if i == limit and limit != len(buffer):
        return False  # longer than any key
    if i < len(buffer) and buffer[i] not in ENDS:
        return False  # a call, an index or an interpolation: code, not a value
    return is_secret_value(buffer[value_start:i])


def _google_key_at(buffer: bytes, pos: int) -> bool:
    end = pos + 39
    return ((pos == 0 or buffer[pos - 1] not in IDENT)
            and _skip(buffer, pos + 4, end, IDENT, 35) == end
            and (end == len(buffer) or buffer[end] not in IDENT)
            and is_secret_value(buffer[pos:end]))


def _secret_token_near(buffer: bytes, pos: int) -> bool:
    """A 40-character secret (mixed case, not hex) on the line around ``pos``, within NEAR."""
    start = buffer.rfind(b"\n", max(0, pos - NEAR), pos) + 1 or max(0, pos - NEAR)
    end = buffer.find(b"\n", pos, pos + NEAR)
    end = min(len(buffer), pos + NEAR) if end == -1 else end
    if start > 0 and buffer[start - 1] in B64:
        start = _skip(buffer, start, end, B64, NEAR)  # a token cut by the window
    if end < len(buffer) and buffer[end] in B64:
        while end > start and buffer[end - 1] in B64:
            end -= 1
    for token in buffer[start:end].translate(_NOT_B64).split():
        if (len(token) == 40 and not all(c in HEX for c in token)
                and any(65 <= c <= 90 for c in token) and any(97 <= c <= 122 for c in token)
                and is_secret_value(token)):
            return True
    return False


def _skip(buffer: bytes, i: int, limit: int, chars: frozenset[int] | bytes, most: int) -> int:
    end = min(limit, i + most)
    while i < end and buffer[i] in chars:
        i += 1
    return i


def _entropy(value: bytes) -> float:
    from math import log2

    counts: dict[int, int] = {}
    for c in value:
        counts[c] = counts.get(c, 0) + 1
    total = len(value)
    return -sum(n / total * log2(n / total) for n in counts.values())
