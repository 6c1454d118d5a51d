"""Read an asset or reference from the store, an http(s) URL or a local path."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from offload.errors import StoreError, UsageError
from offload.manifest import Entry
from offload.workspace import Workspace

MAX_BYTES = 64 * 1024 * 1024
HTTP_TIMEOUT = 30


@dataclass(frozen=True)
class Fetched:
    data: bytes
    origin: str  # the URL or path as recorded in provenance
    entry: Entry | None = None
    key: str | None = None


def fetch(ws: Workspace, target: str) -> Fetched:
    entries = ws.manifest.read()
    entry = entries.get(target) or next((e for e in entries.values() if e.url == target), None)
    if entry is None and "://" not in target:
        try:
            entry = entries.get(ws.repo_path(Path(target)))
        except UsageError:
            entry = None
    if entry is not None:
        data = _from_store(ws, entry.key, entry.sha256)
        return Fetched(data, entry.url or entry.path, entry, entry.key)
    if "://" in target:
        base = (ws.public_base() or "").rstrip("/") + "/"
        if base != "/" and target.startswith(base):
            key = unquote(target[len(base):].split("?")[0].split("#")[0])
            return Fetched(_from_store(ws, key, None), target, None, key)
        scheme = urlparse(target).scheme
        if scheme in ("http", "https"):
            return Fetched(_from_http(target), target)
        if scheme == "file":
            return Fetched(_from_file(Path(unquote(urlparse(target).path)), target), target)
        raise UsageError(f"cannot fetch {target!r}: unsupported URL scheme {scheme!r}",
                         "use a store URL, an http(s) URL or a local path")
    return Fetched(_from_file(Path(target), target), str(Path(target).resolve()))


def _from_store(ws: Workspace, key: str, sha256: str | None) -> bytes:
    if ws.backend.head(key) is None:
        raise UsageError(f"{key} is not in the {ws.backend.description}",
                         "check the URL or path (`offload ls` lists recorded assets)")
    with tempfile.TemporaryDirectory(prefix="offload-fetch-") as tmp:
        dest = Path(tmp) / "object"
        ws.backend.get_file(key, dest, sha256)
        return dest.read_bytes()


def _from_http(url: str) -> bytes:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "offload"})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise UsageError(f"{url} answered HTTP {exc.code} ({exc.reason})",
                         "check the reference URL (is it public and spelled right?)") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach {url}: {reason}",
                         "check the network and the URL, then retry") from exc
    if len(data) > MAX_BYTES:
        raise UsageError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MiB",
                         "use a smaller reference image")
    return data


def _from_file(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"{shown} is neither a recorded asset nor an existing file",
                         "pass a path from `offload ls`, a store or http(s) URL, or a file "
                         "path") from exc
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror}", "check the path") from exc
