"""History mode end to end: per-commit URLs, tags, merges, verify, rollback, determinism."""

from __future__ import annotations

from pathlib import Path

from testing.repos import GitRepo

from .conftest import Production
from .helpers import PLAN, hero_url, offload, plan_data, refs, show, store_files


def migrate(repo: GitRepo, env: dict[str, str]) -> dict[str, object]:
    assert offload(repo, env, "migrate", "plan").rc == 0
    result = offload(repo, env, "migrate", "run", PLAN, "--json")
    assert result.rc == 0, result.output
    data: dict[str, object] = result.json()
    return data


def test_history_run_rewrites_each_commit(production: Production, clone: GitRepo,
                                          env: dict[str, str], tmp_path: Path) -> None:
    before = refs(clone)
    old_log = clone.git("log", "--all", "--format=%an %ae %ad %cd %s")
    result = migrate(clone, env)
    assert result["verification"]["ok"], result["verification"]  # type: ignore[index]
    cmap: dict[str, str] = result["commit_map"]  # type: ignore[assignment]
    c = {name: cmap[old] for name, old in production.commits.items()}
    # The document changes with its own commit; in "hero v3" only the image changed.
    assert hero_url("hero-v1") in show(clone, c["v1"], "docs/story.md")
    assert hero_url("hero-v2") in show(clone, c["v2"], "docs/story.md")
    assert hero_url("hero-v3") in show(clone, c["v3"], "docs/story.md")
    assert f'"hero": "{hero_url("hero-v3")}"' in show(clone, c["v3"], "data/cast.json")
    assert hero_url("hero-v2") in show(clone, c["scene"], "scenes/s1.html")
    assert "%20hero%20%C3%A9." in show(clone, c["v1"], "docs/story.md")
    assert "../chars/none.png" in show(clone, c["v1"], "docs/story.md")  # dangling: kept
    lock = show(clone, c["merge"], "offload.lock")
    assert hero_url("hero-v3") in lock and "scenes/s1." in lock
    assert show(clone, c["merge"], "docs/latin1.md").encode("utf-8", "surrogateescape") \
        == b"caf\xe9 ![x](../chars/hero.png)\n"
    tree = clone.git("ls-tree", "-r", "--name-only", c["merge"]).splitlines()
    assert not any(p.endswith((".png", ".jpg")) and p != "chars/link.png" for p in tree)
    assert ".gitattributes" not in tree and "vendor/sub" in tree
    # Authors, dates, messages and merge shape are kept; the annotated tag follows.
    new_log = clone.git("log", "--branches", "--tags", "--format=%an %ae %ad %cd %s")
    assert sorted(new_log.splitlines()) == sorted(old_log.splitlines())
    assert clone.git("cat-file", "-t", "refs/tags/v1.0").strip() == "tag"
    assert clone.git("rev-parse", "v1.0^{commit}").strip() == c["v2"]
    assert len(clone.git("rev-list", "--parents", "-n1", c["merge"]).split()) == 3
    assert clone.git("for-each-ref", "refs/offload/backup/").count("\n") == 3
    data = plan_data(clone)
    assert data["result"]["push_commands"] == ["git push --force --all origin",
                                               "git push --force --tags origin"]
    assert len(store_files(tmp_path / "store")) == 6
    # verify, then rollback restores the refs exactly (the fetched-only branch goes away)
    assert offload(clone, env, "migrate", "verify", PLAN).rc == 0
    back = offload(clone, env, "migrate", "rollback", PLAN)
    assert back.rc == 0, back.output
    assert refs(clone) == {k: v for k, v in before.items()}
    assert "refs/offload" not in clone.git("for-each-ref")


def test_same_plan_gives_same_commits_on_two_clones(production: Production, tmp_path: Path,
                                                    env: dict[str, str]) -> None:
    a = production.origin.clone(tmp_path / "a", skip_smudge=True)
    b = production.origin.clone(tmp_path / "b", skip_smudge=True)
    migrate(a, env)
    migrate(b, env)
    assert refs(a) == refs(b)
    # a second run of a finished plan is a no-op
    again = offload(a, env, "migrate", "run", PLAN, "--json")
    assert again.rc == 0 and refs(a) == refs(b)
