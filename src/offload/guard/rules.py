"""What makes a path an artifact: its name, its size, and the first bytes of its content.

Glob matching avoids ``fnmatch`` (it imports ``re``) for the usual ``*``-only patterns.
"""

from __future__ import annotations

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


def glob_match(pattern: str, path: str) -> bool:
    """gitignore-like: a pattern without ``/`` matches the file name, otherwise the path;
    a trailing ``/`` matches everything under that folder."""
    if pattern.endswith("/"):
        folder = pattern.lstrip("/")
        return path.startswith(folder) or ("/" + folder) in ("/" + path)
    subject = path if "/" in pattern else path.rpartition("/")[2]
    pattern = pattern.lstrip("/")
    if "?" in pattern or "[" in pattern:
        from fnmatch import fnmatchcase

        return fnmatchcase(subject, pattern)
    return _star_match(pattern, subject)


def _star_match(pattern: str, text: str) -> bool:
    parts = pattern.split("*")
    if len(parts) == 1:
        return pattern == text
    first, last = parts[0], parts[-1]
    if not text.startswith(first) or len(text) < len(first) + len(last):
        return False
    if not text.endswith(last):
        return False
    pos, end = len(first), len(text) - len(last)
    for middle in parts[1:-1]:
        found = text.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return True


def first_match(patterns: tuple[str, ...], path: str, fold_case: bool = False) -> str | None:
    subject = path.lower() if fold_case else path
    for pattern in patterns:
        if glob_match(pattern.lower() if fold_case else pattern, subject):
            return pattern
    return None


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
