"""Versions across history: every ref's offload.lock, read by one git process."""

from __future__ import annotations

import pytest

from offload.gallery import history
from offload.gallery.catalog import build_catalog
from offload.workspace import Workspace
from testing.repos import GitRepo
from tests.gallery.sample import ok, png


def test_versions_from_every_ref_the_work_tree_and_one_git_process(
        repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.write("props/lamp.png", png("red"))
    repo.write("props/gone.png", png("blue"))
    ok(repo, "put", "props")
    repo.add("offload.lock")
    first = repo.commit("lamp and gone")
    repo.git("switch", "-q", "-c", "other")
    repo.write("props/lamp.png", png("green"))  # a take that exists only on another branch
    ok(repo, "put", "props/lamp.png")
    repo.add("offload.lock")
    other = repo.commit("green lamp")
    repo.git("switch", "-q", "main")
    repo.write("props/lamp.png", png("red"))
    ok(repo, "put", "props/lamp.png")  # the red take again: still the same version
    repo.write("props/new.png", png("white"))
    ok(repo, "put", "props/new.png")  # recorded, not committed
    repo.git("rm", "-q", "--cached", "offload.lock")
    (repo.path / "offload.lock").write_text(
        "".join(line + "\n" for line in (repo.path / "offload.lock").read_text().splitlines()
                if "gone.png" not in line))

    calls: list[tuple[object, ...]] = []
    real_run_git = history.run_git
    monkeypatch.setattr(history, "run_git",
                        lambda *a, **k: calls.append(a) or real_run_git(*a, **k))
    catalog = build_catalog(Workspace.discover(repo.path))
    assert len(calls) == 1 and "log" in calls[0]

    lamp = catalog.find("props/lamp.png")
    assert lamp is not None
    # both commits may fall in the same second, so the order is not asserted here
    assert {(v.commit, v.current) for v in lamp.versions} == {(other, False), (first, True)}
    gone = catalog.find("props/gone.png")
    assert gone is not None and [(v.commit, v.current) for v in gone.versions] == [(first, False)]
    new = catalog.find("props/new.png")
    assert new is not None and [(v.commit, v.current) for v in new.versions] == [(None, True)]
