"""`offload log` on a repository migrated from git-lfs (history mode)."""

from __future__ import annotations

from testing.repos import GitRepo

from .conftest import Production
from .helpers import PLAN, hero_url, offload


def test_log_reports_every_lfs_version_after_migration(production: Production, clone: GitRepo,
                                                       env: dict[str, str]) -> None:
    assert offload(clone, env, "migrate", "plan").rc == 0
    run = offload(clone, env, "migrate", "run", PLAN, "--json")
    assert run.rc == 0, run.output
    cmap: dict[str, str] = run.json()["commit_map"]
    result = offload(clone, env, "log", "chars/hero.png", "--json")
    assert result.rc == 0, result.output
    versions = result.json()["versions"]
    assert [v["url"] for v in versions] == [hero_url("hero-v3"), hero_url("hero-v2"),
                                            hero_url("hero-v1")]
    assert [v["commit"] for v in versions] == [cmap[production.commits[name]]
                                               for name in ("v3", "v2", "v1")]
    assert {v["source"] for v in versions} == {"migrate"}
    scene = offload(clone, env, "log", "scenes/s1.jpg", "--json")
    assert scene.rc == 0 and scene.json()["count"] == 1
