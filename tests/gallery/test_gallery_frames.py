"""A storyboard frame's page links every character turnaround it was generated from."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo


def ok(repo: GitRepo, *args: str) -> str:
    result = run_offload(*args, cwd=repo.path, timeout=120)
    assert result.rc == 0, result.output
    return result.stdout


def test_frame_page_links_the_turnarounds_it_used(repo: GitRepo, tmp_path: Path) -> None:
    ok(repo, "init")
    for name in ("mira", "ken"):
        ok(repo, "generate", "turnaround", "--character", name, "--prompt", f"{name}, four views",
           "--provider", "placeholder")
        ok(repo, "approve", f"characters/{name}/turnaround/v1.png")
    ok(repo, "generate", "frame", "--scene", "1", "--shot", "2", "--prompt", "mira meets ken",
       "--character", "mira", "--character", "ken", "--provider", "placeholder")
    site = tmp_path / "site"
    ok(repo, "gallery", "build", "-o", str(site))
    pages = [p.read_text() for p in site.rglob("*.html")]
    frame_pages = [p for p in pages if "mira meets ken" in p]
    assert frame_pages, "no page shows the frame's prompt"
    listed = frame_pages[0].split('class="references"', 1)[1].split("</dd>", 1)[0]
    for name in ("mira", "ken"):
        assert f"characters/{name}/turnaround/v1.png" in listed
    assert listed.count("<a href=") == 2  # each links to that turnaround's own page
    ok(repo, "generate", "frame", "--scene", "10", "--shot", "1", "--prompt", "the chase",
       "--provider", "placeholder")
    ok(repo, "generate", "frame", "--scene", "2", "--shot", "1", "--prompt", "the road",
       "--provider", "placeholder")
    ok(repo, "gallery", "build", "-o", str(site))
    index = (site / "index.html").read_text()
    headings = [h for h in ("Characters", "Storyboard scene1", "Storyboard scene2",
                            "Storyboard scene10") if h in index]
    assert len(headings) == 4, headings  # one group per scene
    assert [index.index(h) for h in headings] == sorted(index.index(h) for h in headings)
