"""Tip mode: one new commit; history untouched."""

from __future__ import annotations

from testing.repos import GitRepo

from .helpers import PLAN, hero_url, offload, refs


def test_tip_mode_adds_one_commit(clone: GitRepo, env: dict[str, str]) -> None:
    old_head = clone.head()
    assert offload(clone, env, "migrate", "plan").rc == 0
    result = offload(clone, env, "migrate", "run", PLAN, "--mode", "tip", "--json")
    assert result.rc == 0, result.output
    data = result.json()
    assert data["verification"]["ok"], data["verification"]
    assert clone.git("rev-parse", "HEAD~1").strip() == old_head
    files = clone.git("ls-files").splitlines()
    assert not any(f.endswith((".png", ".jpg")) and "link" not in f for f in files)
    assert ".gitattributes" not in files and "offload.lock" in files
    assert (clone.path / "chars/hero.png").exists()  # stays on disk, ignored
    assert "/chars/hero.png" in (clone.path / ".gitignore").read_text()
    assert hero_url("hero-v3") in (clone.path / "docs/story.md").read_text()
    assert clone.git("status", "--porcelain", "--untracked-files=no").strip() == ""
    assert data["push_commands"] == ["git push origin main"]
    before_rollback = refs(clone)
    assert offload(clone, env, "migrate", "rollback", PLAN).rc == 0
    assert clone.head() == old_head and refs(clone) != before_rollback
