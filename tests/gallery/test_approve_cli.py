"""offload approve PATH and offload ls --approved, through the real CLI."""

from __future__ import annotations

import json

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.gallery.sample import ok, png

MIA = "characters/mia/turnaround"


def approved_paths(repo: GitRepo) -> list[str]:
    lines = (repo.path / "offload.lock").read_text().splitlines()
    return [r["path"] for r in map(json.loads, lines) if r.get("meta", {}).get("approved")]


def test_one_approved_version_per_family(repo: GitRepo) -> None:
    for path, colour in ((f"{MIA}/v1.png", "red"), (f"{MIA}/v2.png", "blue"),
                         ("props/lamp.png", "green")):
        repo.write(path, png(colour))
    ok(repo, "put", "characters", "props")
    assert ok(repo, "ls", "--approved") == ""

    assert ok(repo, "approve", f"{MIA}/v1.png").startswith(f"approved {MIA}/v1.png")
    ok(repo, "approve", "props/lamp.png")
    assert approved_paths(repo) == [f"{MIA}/v1.png", "props/lamp.png"]

    result = run_offload("approve", f"{MIA}/v2.png", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    report = result.json()
    assert report["family"] == MIA and report["unapproved"] == [f"{MIA}/v1.png"]
    assert report["approved"]["meta"]["approved"] is True
    assert approved_paths(repo) == [f"{MIA}/v2.png", "props/lamp.png"]
    listed = run_offload("ls", "--approved", "--json", cwd=repo.path).json()["items"]
    assert [e["path"] for e in listed] == [f"{MIA}/v2.png", "props/lamp.png"]
    assert [line.split()[2] for line in ok(repo, "ls", "--approved", "characters/*")
            .splitlines()] == [f"{MIA}/v2.png"]


def test_approving_an_unknown_path_names_the_next_step(repo: GitRepo) -> None:
    result = run_offload("approve", "characters/nobody/turnaround/v1.png", cwd=repo.path)
    assert result.rc == 2
    assert "not in offload.lock" in result.stderr and "next:" in result.stderr
    assert "Traceback" not in result.output
