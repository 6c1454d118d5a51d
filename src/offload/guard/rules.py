"""What makes a path an artifact: its name, its size, and the first bytes of its content."""

from __future__ import annotations

from offload.globs import first_match, glob_match

__all__ = ["first_match", "glob_match", "is_lfs_pointer", "sniff"]

SNIFF_BYTES = 8192
LFS_HEADER = b"version https://git-lfs.github.com/spec/v1\n"
LFS_MAX = 1024
# (offset, signature, description) — images, video, audio and 3D formats.
MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"8BPS", "Photoshop document"),
    (0, b"v/1\x01", "OpenEXR image"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\x00\x00\x01\x00", "icon"),
    (0, b"\x1a\x45\xdf\xa3", "Matroska/WebM video"),
    (0, b"OggS", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"glTF\x02\x00", "binary glTF model"),
    (0, b"Kaydara FBX Binary", "FBX model"),
    (0, b"ply\nformat binary", "binary PLY model"),
    (4, b"ftyp", "MP4/QuickTime/HEIF media"),
)
RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}


def is_lfs_pointer(head: bytes, size: int) -> bool:
    return size < LFS_MAX and head.startswith(LFS_HEADER)


def sniff(head: bytes) -> str | None:
    """Why these first bytes are binary (a known magic or a NUL byte), or None for text."""
    for offset, signature, description in MAGIC:
        if head[offset:offset + len(signature)] == signature:
            return description
    if head[:4] == b"RIFF" and head[8:12] in RIFF_KINDS:
        return RIFF_KINDS[head[8:12]]
    if b"\0" in head[:SNIFF_BYTES]:
        return "binary content (NUL byte)"
    return None
