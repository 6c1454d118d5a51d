"""Thumbnails made with Pillow, cached under the git dir and keyed by the object's sha256."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from offload.errors import OffloadError
from offload.manifest import Entry
from offload.store.local import LocalBackend
from offload.workspace import Workspace

SIZE = 320
_VARIANT = f"jpeg-{SIZE}"


class Thumbnails:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache = ws.repo.shared_dir / "gallery-thumbs" / _VARIANT

    def path_for(self, entry: Entry) -> Path:
        """The cached thumbnail of ``entry`` (made on first use); never raises for bad objects."""
        target = self.cache / entry.sha256[:2] / f"{entry.sha256}.jpg"
        if not target.is_file():
            image = self._render(entry)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-thumb-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    image.save(handle, "JPEG", quality=82)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return target

    def _render(self, entry: Entry) -> Image.Image:
        try:
            with tempfile.TemporaryDirectory(prefix="offload-thumb-") as scratch:
                source = self._source(entry, Path(scratch))
                if source is None:
                    return placeholder("missing")
                with Image.open(source) as image:
                    image.draft("RGB", (SIZE, SIZE))
                    image.thumbnail((SIZE, SIZE))
                    return _flatten(image)
        except (OSError, ValueError, OffloadError, Image.DecompressionBombError):
            return placeholder(Path(entry.path).suffix.lstrip(".").upper() or "file")

    def _source(self, entry: Entry, scratch: Path) -> Path | None:
        backend = self.ws.backend
        if isinstance(backend, LocalBackend):
            return local_object(backend.root, entry.key)
        target = scratch / "object"
        backend.get_file(entry.key, target, entry.sha256)
        return target


def local_object(root: Path, key: str) -> Path | None:
    """The object file of ``key`` inside the local store, never a path outside it."""
    if not key or key.startswith("/") or any(s in ("", ".", "..") for s in key.split("/")):
        return None
    store = root.resolve()
    path = (store / key).resolve()
    if path != store / key or not path.is_file():  # outside the store, or through a symlink
        return None
    return path


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, "white")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def placeholder(label: str) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE * 3 // 4), (226, 230, 236))
    ImageDraw.Draw(image).text((SIZE // 2, SIZE * 3 // 8), label[:12], fill=(60, 64, 72),
                               anchor="mm", font_size=36)
    return image
