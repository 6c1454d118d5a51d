"""The streamed scanner finds what a whole-buffer scan finds, wherever the chunks are cut."""

from __future__ import annotations

import pytest

from offload.guard.blobs import CredentialScanner
from offload.guard.secrets import first_credential

CHUNK = 4096
KEY_LINE = b'{"GEMINI_API_KEY":"Zq8Rt3vWz1Lm9Kd2Xp7Yh4Nc6Bf0"}\n'
TOO_LONG = b"GEMINI_API_KEY=" + b"Zq8Rt3vWz1Lm9Kd2" * 20 + b"\n"  # 320 characters: no key


def scan(blob: bytes) -> tuple[int, str] | None:
    scanner = CredentialScanner()
    for start in range(0, len(blob), CHUNK):
        found = scanner.feed(blob[start:start + CHUNK], final=start + CHUNK >= len(blob))
        if found:
            return found
    return None


@pytest.mark.parametrize("shift", [-60, -40, -25, -12, -1, 0, 1, 7, 300, 900])
def test_a_key_across_a_chunk_boundary(shift: int) -> None:
    filler = b"prose line\n" * 1000
    blob = filler[:2 * CHUNK + shift] + b"\n" + KEY_LINE + filler
    line = blob[:blob.index(KEY_LINE)].count(b"\n") + 1
    assert scan(blob) == (line, "Gemini API key")
    assert first_credential(blob) is not None


@pytest.mark.parametrize("shift", [-200, -100, -16, 0, 16])
def test_an_overlong_value_is_not_cut_into_a_key(shift: int) -> None:
    filler = b"x" * (CHUNK + shift)
    assert scan(filler + b"\n" + TOO_LONG) is None
