"""Small pure pieces: metadata encoding, names and versions in paths, the instruction text."""

from __future__ import annotations

import hashlib
from urllib.parse import unquote

from offload.generate.names import character_of, version_of
from offload.generate.prompt import build_instruction
from offload.generate.provenance import BUDGET, object_metadata

VIEWS = ("front", "three-quarter", "side", "back")


def test_long_non_ascii_prompt_fits_s3_metadata() -> None:
    prompt = "Mira, pilote — 日本語 " * 400
    meta = object_metadata({"prompt": prompt, "provider": "gemini", "parent": 3,
                            "views": list(VIEWS), "reference": "https://x.test/é.png"})
    assert all(k.isascii() and v.isascii() for k, v in meta.items())
    assert sum(len(k) + len(v) for k, v in meta.items()) <= BUDGET
    assert meta["offload-prompt-sha256"] == hashlib.sha256(prompt.encode()).hexdigest()
    kept = unquote(meta["offload-prompt"])
    assert kept.endswith("…") and prompt.startswith(kept[:-1])
    assert unquote(meta["offload-reference"]) == "https://x.test/é.png"
    assert meta["offload-parent"] == "3"


def test_versions_from_paths_keys_and_urls() -> None:
    assert version_of("characters/mira/turnaround/v12.png") == 12
    assert version_of("https://pub.test/prod/characters/mira/turnaround/v3.0123456789ab.png") == 3
    assert version_of("characters/mira/v3.png") is None
    assert version_of("characters/mira/turnaround/final.png") is None
    assert character_of("https://h/p/characters/mira/turnaround/v3.png") == "mira"


def test_fix_view_instruction_keeps_the_other_views() -> None:
    text = build_instruction("mira", "her collar is wrong", VIEWS, True, "three-quarter")
    assert "Keep the other views (front, side profile, back) exactly" in text
    assert "Correct only the three-quarter (3/4) view" in text
    assert text.endswith("her collar is wrong")
    plain = build_instruction("mira", "a pilot", VIEWS, False, None)
    assert "attached" not in plain and plain.endswith("a pilot")
