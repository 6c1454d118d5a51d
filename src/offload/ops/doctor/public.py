"""Does the public URL of a stored object answer? http(s): a HEAD; file://: the file on disk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from offload.ops.doctor import Check
from offload.workspace import Workspace

NAME = "public URL"
TIMEOUT = 5.0
FIX_BASE = ("set `public_url:` in offload.yaml (or OFFLOAD_PUBLIC_URL) to the address that serves "
            "the store's objects, e.g. the bucket's r2.dev or custom domain")


def check_public_url(ws: Workspace, key: str) -> Check:
    url = ws.url_for(key)
    if url is None:
        return Check(NAME, "warn", "no public_url: offload records keys, not links", FIX_BASE)
    scheme = urlparse(url).scheme
    if scheme == "file":
        path = Path(unquote(urlparse(url).path))
        if path.is_file():
            return Check(NAME, "ok", f"file:// URLs resolve on this machine ({path.parent})")
        return Check(NAME, "fail", f"{url} is not a file on this machine", FIX_BASE)
    if scheme not in ("http", "https"):
        return Check(NAME, "warn", f"{scheme}: URLs are not checked", "")
    return _head(url)


def _head(url: str) -> Check:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method="HEAD",
                                     headers={"User-Agent": "offload-doctor"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:
            status = reply.status
    except urllib.error.HTTPError as exc:
        return Check(NAME, "fail", f"{url} answered {exc.code} for a stored object",
                     f"{FIX_BASE}; make the bucket (or its domain) publicly readable")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Check(NAME, "fail", f"{url} did not answer within {TIMEOUT:.0f} s ({reason})",
                     FIX_BASE)
    return Check(NAME, "ok", f"{url} answers {status}")
