"""``offload gallery build``: the gallery as static files that open from file://, and
``--publish``: the same files uploaded under ``_gallery/`` in the store."""

from __future__ import annotations

import mimetypes
import os
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from offload.errors import UsageError
from offload.gallery.catalog import build_catalog
from offload.gallery.links import Links, page_slug
from offload.gallery.render import index_json, render_asset, render_index
from offload.gallery.thumbs import Thumbnails
from offload.store.base import PutRequest, sha256_file
from offload.workspace import Workspace

PUBLISH_PREFIX = "_gallery"
STATIC_NAMES = ("gallery.css", "gallery.js")


@dataclass(frozen=True)
class Built:
    out: Path
    files: tuple[str, ...]  # relative posix paths
    assets: int
    versions: int


def build_static(ws: Workspace, out: Path) -> Built:
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder", "pass -o with a folder path")
    catalog = build_catalog(ws)
    thumbs = Thumbnails(ws)
    written: list[str] = []

    def write(relative: str, data: bytes) -> None:
        _write_atomically(out / relative, data)
        written.append(relative)

    top, inner = Links(ws, live=False, root=""), Links(ws, live=False, root="../")
    write("index.html", render_index(catalog, top).encode("utf-8"))
    write("index.json", index_json(catalog, top).encode("utf-8"))
    done: set[str] = set()
    for family in catalog.families:
        write(f"assets/{page_slug(family.id)}",
              render_asset(catalog, family, inner).encode("utf-8"))
        for version in family.versions:
            if version.entry.sha256 not in done:
                done.add(version.entry.sha256)
                write(f"thumbs/{version.entry.sha256}.jpg",
                      thumbs.jpeg(version.entry))
    for name in STATIC_NAMES:
        write(f"static/{name}", files("offload.gallery").joinpath("static", name).read_bytes())
    versions = sum(len(f.versions) for f in catalog.families)
    return Built(out, tuple(written), len(catalog.families), versions)


def publish(ws: Workspace, built: Built, jobs: int = 8) -> str | None:
    """Upload the built files under ``_gallery/``; the public URL of its index, if any."""
    requests = []
    for relative in built.files:
        path = built.out / relative
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        if content_type.startswith("text/") or relative.endswith((".json", ".js")):
            content_type += "; charset=utf-8"
        requests.append(PutRequest(key=f"{PUBLISH_PREFIX}/{relative}", path=path,
                                   sha256=sha256_file(path), content_type=content_type,
                                   immutable=False))
    ws.backend.put_files(requests, jobs=jobs)
    return ws.url_for(f"{PUBLISH_PREFIX}/index.html")


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-gallery-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
