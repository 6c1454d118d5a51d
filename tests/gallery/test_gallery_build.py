"""offload gallery build -o DIR [--publish] through the real CLI (no browser)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.gallery.sample import NINA, serving


def test_publish_uploads_under_gallery_and_prints_the_link(sample: GitRepo,
                                                           tmp_path: Path) -> None:
    result = run_offload("gallery", "build", "-o", tmp_path / "site", "--publish",
                         cwd=sample.path)
    assert result.rc == 0, result.output
    index, link = result.stdout.split()
    assert index == (tmp_path / "site" / "index.html").as_uri()
    store = sample.path / ".git" / "offload" / "store"
    assert link == (store / "_gallery" / "index.html").as_uri()
    built = sorted(p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*")
                   if p.is_file())
    published = sorted(p.relative_to(store / "_gallery") for p in (store / "_gallery").rglob("*")
                       if p.is_file())
    assert built == published and Path("index.json") in built
    catalog = json.loads((tmp_path / "site" / "index.json").read_text())
    assert catalog["totals"]["assets"] == 4
    nina = next(a for a in catalog["assets"] if a["id"] == NINA)
    assert [v["label"] for v in nina["versions"]] == ["v3", "v2", "v1"]
    with serving(sample) as base:  # the published copy is reachable, not shadowed by the live one
        with urllib.request.urlopen(f"{base}/_gallery/index.html", timeout=30) as reply:
            assert NINA in reply.read().decode()
