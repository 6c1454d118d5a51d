"""offload fix warns, once, when it writes file:// URLs into documents that will be committed."""

from __future__ import annotations

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG


def stage_board(repo: GitRepo) -> None:
    repo.write("shots/a.png", PNG)
    repo.write("shots/b.png", PNG + b"b")
    repo.write("board.md", "![a](shots/a.png)\n")
    repo.write("notes/scene.md", "![a](../shots/a.png) ![b](../shots/b.png)\n")
    repo.add("shots", "board.md", "notes")


def test_fix_warns_once_about_file_urls_in_documents(repo: GitRepo) -> None:
    stage_board(repo)
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "file://" in repo.git("show", ":board.md")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, result.stderr
    assert "2 document(s) now hold file:// URLs" in warnings[0]
    assert "board.md, notes/scene.md" in warnings[0]
    assert "next: set `public_url:`" in result.stderr


def test_no_warning_with_a_public_url(repo: GitRepo) -> None:
    stage_board(repo)
    result = run_offload("fix", "--json", cwd=repo.path,
                         env={"OFFLOAD_PUBLIC_URL": "https://cdn.example.test/prod"})
    assert result.rc == 0, result.output
    assert result.json()["warnings"] == [] and "warning:" not in result.stderr
    assert "https://cdn.example.test/prod/" in repo.git("show", ":board.md")
