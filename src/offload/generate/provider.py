"""The one small interface every image provider implements, and the factory."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Protocol

from offload.errors import OffloadError, UsageError

PROVIDERS = ("gemini", "placeholder", "command")


class ProviderError(OffloadError):
    """The provider ran but gave no usable image (quota, refusal, no image, bad output)."""


@dataclass(frozen=True)
class Reference:
    data: bytes
    mime_type: str
    origin: str
    label: str = ""  # what a person calls it: "mira v2", "sketch.jpg"

    @property
    def name(self) -> str:
        return self.label or self.origin.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class ImageRequest:
    instruction: str  # the full text sent to the model
    prompt: str  # the user's prompt alone
    character: str  # a frame's characters, comma-separated
    version: int
    views: tuple[str, ...]  # empty for a storyboard frame
    references: tuple[Reference, ...] = ()
    seed: int | None = None
    model: str | None = None
    title: str = ""  # a frame's "scene 3 shot 2"; empty for a turnaround
    size: tuple[int, int] | None = None
    fix_view: str | None = None  # the one view of ``views`` to correct, the others kept

    @property
    def reference(self) -> Reference | None:
        """The first reference: what a one-image provider or template uses."""
        return self.references[0] if self.references else None


class Provider(Protocol):
    name: str

    def model_name(self, requested: str | None) -> str | None: ...

    def generate(self, request: ImageRequest) -> bytes:
        """PNG bytes of the image; raise ProviderError when there is none."""


def get_provider(name: str, command: str | None = None) -> Provider:
    if name == "placeholder":
        from offload.generate.placeholder import PlaceholderProvider

        return PlaceholderProvider()
    if name == "gemini":
        from offload.generate.gemini import GeminiProvider

        return GeminiProvider.from_env()
    if name == "command":
        from offload.generate.command import CommandProvider

        if not command:
            raise UsageError("--provider command needs --command TEMPLATE",
                             "pass e.g. --command 'my-gen --prompt {prompt} --out {output}'")
        return CommandProvider(command)
    raise UsageError(f"unknown provider {name!r}", f"choose one of {', '.join(PROVIDERS)}")


def image_mime(data: bytes, what: str) -> str:
    """The MIME type of image bytes; UsageError naming ``what`` when they are no image."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = image.format or "PNG"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UsageError(f"{what} is not an image ({len(data)} bytes that Pillow cannot read)",
                         "point to a PNG, JPEG or WebP image") from exc
    return Image.MIME.get(kind, "image/png")


def as_png(data: bytes, what: str) -> bytes:
    """``data`` unchanged when it is a PNG, else converted; ProviderError when no image."""
    from PIL import Image

    try:
        mime = image_mime(data, what)
    except UsageError as exc:
        raise ProviderError(exc.message, "check the provider's output; nothing was recorded"
                            ) from exc
    if mime == "image/png":
        return data
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        image.save(out, format="PNG")
    return out.getvalue()
