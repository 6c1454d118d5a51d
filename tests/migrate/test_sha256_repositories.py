"""A repository with SHA-256 object ids: history mode (git-filter-repo reads SHA-1 ids only) is
refused before anything is sent or changed; tip mode migrates it and rebases its URLs."""

from __future__ import annotations

from pathlib import Path

from offload.errors import ExitCode
from testing.cli import CliResult, run_offload
from testing.repos import GitRepo, git

from .conftest import PUBLIC, png
from .helpers import PLAN, refs, show, store_files

NEW = "https://assets.example.test/prod"
REBASE_PLAN = "migrations/0002-rebase-urls.yaml"


def sha256_production(tmp_path: Path) -> tuple[GitRepo, Path]:
    repo = GitRepo(tmp_path / "film", init=False)
    git("init", "-q", "--object-format=sha256", "-b", "main", str(repo.path), cwd=tmp_path)
    repo.git("lfs", "install", "--local")
    repo.git("lfs", "track", "*.png")
    store = tmp_path / "store"
    repo.commit_files({".gitattributes": (repo.path / ".gitattributes").read_text(),
                       "offload.yaml": f"store: {store.as_uri()}\npublic_url: {PUBLIC}\n"},
                      "configure")
    repo.commit_files({"chars/hero.png": png("hero"),
                       "docs/story.md": "# Story\n\n![hero](../chars/hero.png)\n"}, "hero")
    assert len(repo.head()) == 64
    return repo, store


def refused(result: CliResult, command: str) -> None:
    assert result.rc == ExitCode.GIT_STATE, result.output
    assert "error: this repository names its objects with sha256" in result.stderr
    assert f"next: run `{command}" in result.stderr and "--mode tip" in result.stderr
    assert "Traceback" not in result.output


def test_history_mode_is_refused_before_anything_moves_and_tip_mode_works(tmp_path: Path
                                                                          ) -> None:
    repo, store = sha256_production(tmp_path)
    planned = run_offload("migrate", "plan", cwd=repo.path)
    assert planned.rc == 0, planned.output
    before = refs(repo)
    refused(run_offload("migrate", "run", PLAN, "--force", cwd=repo.path),
            f"offload migrate run {PLAN}")
    assert refs(repo) == before and store_files(store) == []

    tip = run_offload("migrate", "run", PLAN, "--mode", "tip", "--force", cwd=repo.path)
    assert tip.rc == 0, tip.output
    assert show(repo, "HEAD", "docs/story.md").count(f"{PUBLIC}/chars/hero.") == 1
    assert "chars/hero.png" not in repo.git("ls-files")
    assert len(store_files(store)) == 1
    verified = run_offload("migrate", "verify", PLAN, cwd=repo.path)
    assert verified.rc == 0, verified.output

    rebase = run_offload("rebase-urls", "plan", "--from", PUBLIC, "--to", NEW, cwd=repo.path)
    assert rebase.rc == 0, rebase.output
    moved = refs(repo)
    refused(run_offload("rebase-urls", "run", REBASE_PLAN, "--force", cwd=repo.path),
            f"offload rebase-urls run {REBASE_PLAN}")
    assert refs(repo) == moved
    rebased = run_offload("rebase-urls", "run", REBASE_PLAN, "--mode", "tip", "--force",
                          cwd=repo.path)
    assert rebased.rc == 0, rebased.output
    assert f"{NEW}/chars/hero." in show(repo, "HEAD", "docs/story.md")
