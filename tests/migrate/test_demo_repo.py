"""The sample production repository of ``offload demo``, built with real git and git-lfs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from offload.errors import UsageError
from offload.migrate.demo.content import CAFE_SHOT
from offload.migrate.demo.repo import DemoRepo, build_demo_repo
from offload.migrate.references import document_kind, find_references
from testing.repos import git, lfs_available

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRepo:
    return build_demo_repo(tmp_path_factory.mktemp("demo") / "lighthouse")


def test_history_has_branches_merge_and_annotated_tag(demo: DemoRepo) -> None:
    assert git("cat-file", "-t", "v0.1-animatic", cwd=demo.clone).strip() == "tag"
    merges = git("rev-list", "--merges", "origin/main", cwd=demo.clone).split()
    assert len(merges) == 1
    assert len(git("rev-list", "--parents", "-n1", merges[0], cwd=demo.clone).split()) == 3
    assert "origin/kenji" in git("branch", "-r", cwd=demo.clone)
    assert int(git("rev-list", "--count", "--all", cwd=demo.clone)) == 10


def test_every_lfs_object_is_on_the_file_remote(demo: DemoRepo) -> None:
    listed = git("lfs", "ls-files", "--all", "--long", cwd=demo.clone).splitlines()
    oids = {line.split()[0] for line in listed}
    assert len(oids) == 13
    for oid in oids:
        stored = demo.remote / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
        assert stored.is_file(), f"{oid} was not pushed to the LFS remote"


def test_blobs_in_git_are_pointers_and_work_tree_has_real_pngs(demo: DemoRepo) -> None:
    blob = git("cat-file", "-p", "HEAD:characters/mira/portrait.png", cwd=demo.clone)
    assert blob.startswith("version https://git-lfs.github.com/spec/v1")
    for rel in ("characters/mira/portrait.png", CAFE_SHOT, "characters/kenji/turnaround/v2.png"):
        assert (demo.clone / rel).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), rel


def test_same_path_has_three_versions(demo: DemoRepo) -> None:
    log = git("log", "--all", "--format=%H", "--", "characters/mira/portrait.png", cwd=demo.clone)
    assert len(log.split()) == 3


def test_name_with_space_and_non_ascii_letter(demo: DemoRepo) -> None:
    names = git("ls-files", "-z", cwd=demo.clone).split("\0")
    assert CAFE_SHOT in names and " " in CAFE_SHOT and "é" in CAFE_SHOT


def test_documents_reference_files_of_the_tip_except_the_planned_sheet(demo: DemoRepo) -> None:
    tracked = set(git("ls-files", "-z", cwd=demo.clone).split("\0"))
    kinds, dangling = set(), []
    for doc in sorted(tracked):
        if document_kind(doc) is None:
            continue
        for ref in find_references(doc, (demo.clone / doc).read_bytes(), known=tracked.__contains__):
            kinds.add(ref.kind)
            if ref.resolved not in tracked:
                dangling.append(ref.resolved)
    assert kinds == {"markdown", "markdown-def", "html", "css", "json", "yaml"}
    assert dangling == ["characters/mira/turnaround/v4.png"]


def test_builds_are_identical(demo: DemoRepo, tmp_path: Path) -> None:
    again = build_demo_repo(tmp_path / "again")
    for ref in ("origin/main", "origin/kenji", "v0.1-animatic"):
        assert git("rev-parse", ref, cwd=again.clone) == git("rev-parse", ref, cwd=demo.clone)


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(UsageError) as caught:
        build_demo_repo(tmp_path)
    assert "new folder" in caught.value.next_step
    assert subprocess.run(["ls", tmp_path], capture_output=True).stdout == b"keep.txt\n"
