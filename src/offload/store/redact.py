"""The one redaction for everything offload prints, logs or records about a store.

A URL loses its userinfo (``http://user:pass@host`` → ``http://***@host``) and the values of
signing query parameters; free text (botocore and rclone messages) also loses the values of
``secret_access_key=…``-style assignments and any secret offload knows (the credentials in the
environment and in the rclone remote).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from offload.errors import ConfigError

MASK = "***"
SECRET_ENV = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/\s?#]*@")
_BARE_USERINFO = re.compile(r"^[^/\s:@]+:[^/\s]*@")
_ASSIGNMENT = re.compile(
    r"(?P<name>(?:aws_)?secret_access_key|secret_key|session_token|security_token|password"
    r"|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential|Signature)"
    r"(?P<sep>[\"']?\s*[=:]\s*[\"']?)(?P<value>[^\s\"'&,;]+)",
    re.IGNORECASE,
)


def redact_url(url: str) -> str:
    """``url`` as it may be shown: no userinfo, no signature or token in its query."""
    text = _USERINFO.sub(lambda m: f"{m.group('scheme')}{MASK}@", url)
    if "://" not in text:
        text = _BARE_USERINFO.sub(f"{MASK}@", text)
    return _ASSIGNMENT.sub(lambda m: f"{m.group('name')}{m.group('sep')}{MASK}", text)


def redact_text(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Free text (an exception message, rclone's stderr) with URLs and known secrets masked."""
    known = [s for s in (*secrets, *(os.environ.get(name) for name in SECRET_ENV)) if s]
    for secret in sorted(known, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, MASK)
    return redact_url(text)


def checked_endpoint(url: str, setting: str) -> str:
    """``url`` when it is an http(s) URL with a host; ConfigError (exit 3) naming ``setting``."""
    shown = redact_url(url)
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or not port_ok:
        raise ConfigError(
            f"{setting} {shown!r} is not an http:// or https:// URL with a host",
            f"write {setting} with its scheme, e.g. https://<account>.r2.cloudflarestorage.com "
            "or http://127.0.0.1:9000",
        )
    return url
