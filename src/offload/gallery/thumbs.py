"""Thumbnails made with Pillow, cached under the git dir and keyed by the object's sha256."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from offload.errors import OffloadError
from offload.manifest import Entry
from offload.store.local import LocalBackend
from offload.workspace import Workspace

SIZE = 320
MAX_REMOTE_BYTES = 256 * 1024 * 1024  # larger remote objects get a labelled tile, not a download
_VARIANT = f"jpeg-{SIZE}"


class Thumbnails:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.cache = ws.repo.shared_dir / "gallery-thumbs" / _VARIANT

    def jpeg(self, entry: Entry) -> bytes:
        """The thumbnail of ``entry`` as JPEG bytes; never raises for a bad or missing object.

        Only thumbnails of readable objects are cached: a missing object or a store that is
        down gets a labelled tile now and a real thumbnail once it is back.
        """
        target = self.cache / entry.sha256[:2] / f"{entry.sha256}.jpg"
        try:
            return target.read_bytes()
        except OSError:
            pass
        image, lasting = self._render(entry)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
        data = out.getvalue()
        if lasting:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-thumb-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return data

    def _render(self, entry: Entry) -> tuple[Image.Image, bool]:
        """The image and whether it may be cached."""
        label = Path(entry.path).suffix.lstrip(".").upper() or "file"
        if not entry.content_type.startswith("image/"):
            return placeholder(label), True  # video, 3D, audio: never downloaded for a tile
        try:
            with tempfile.TemporaryDirectory(prefix="offload-thumb-") as scratch:
                source = self._source(entry, Path(scratch))
                if source is None:
                    return placeholder("missing"), False
                with Image.open(source) as image:
                    image.draft("RGB", (SIZE, SIZE))
                    image.thumbnail((SIZE, SIZE))
                    return _flatten(image), True
        except (OSError, ValueError, OffloadError, Image.DecompressionBombError):
            return placeholder(label), False

    def _source(self, entry: Entry, scratch: Path) -> Path | None:
        backend = self.ws.backend
        if isinstance(backend, LocalBackend):
            return local_object(backend.root, entry.key)
        if entry.size > MAX_REMOTE_BYTES:
            return None
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
