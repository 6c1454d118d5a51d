"""Where a page's links point: the live server's routes or the static build's files; and the
public URLs a page may show (never with credentials in them)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from offload.manifest import Entry
from offload.workspace import Workspace

LIVE = "/_gallery/live"
_SECRET_NAME = re.compile(r"sig|token|key|credential|secret|auth|pass|session", re.IGNORECASE)


def redact_url(url: str) -> str | None:
    """``url`` without user info and without query parameters that look like credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file"):
        return None
    host = parts.hostname or ""
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _SECRET_NAME.search(k)])
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def page_slug(family_id: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", family_id)[:80].strip("._") or "asset"
    return f"{readable}-{hashlib.sha256(family_id.encode()).hexdigest()[:8]}.html"


@dataclass(frozen=True)
class Links:
    ws: Workspace
    live: bool  # served by `offload serve` (else: static files)
    root: str = ""  # static pages: the relative way back to the gallery's top ("" or "../")
    local_objects: bool = False  # live and the store is local: objects come from this server

    def index(self) -> str:
        return "/" if self.live else f"{self.root}index.html"

    def asset(self, family_id: str) -> str:
        if self.live:
            return f"{LIVE}/asset?{urlencode({'f': family_id})}"
        return f"{self.root}assets/{page_slug(family_id)}"

    def thumb(self, sha256: str) -> str:
        if self.live:
            return f"{LIVE}/thumb/{sha256}.jpg"
        return f"{self.root}thumbs/{sha256}.jpg"

    def static(self, name: str) -> str:
        return f"{LIVE}/static/{name}" if self.live else f"{self.root}static/{name}"

    def approve(self) -> str | None:
        return f"{LIVE}/approve" if self.live else None

    def full(self, entry: Entry) -> str | None:
        if self.local_objects:
            return "/" + quote(entry.key, safe="/-._~!$'()*,;=:@&")
        url = self.ws.url_for(entry.key)
        return redact_url(url) if url else None
