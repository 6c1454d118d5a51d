"""offload ls FOLDER lists what is under it, with human sizes (exact bytes in --json)."""

from __future__ import annotations

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo

SIZES = {"outputs/a.png": 4300000, "outputs/shot 1/b.png": 2048, "outputs-old/c.png": 10,
         "other/outputs/d.png": 5}


@pytest.fixture
def recorded(repo: GitRepo) -> GitRepo:
    for name, size in SIZES.items():
        repo.write(name, b"\x89PNG" + name.encode().ljust(size - 4, b"."))
    result = run_offload("put", *SIZES, cwd=repo.path)
    assert result.rc == 0, result.output
    return repo


@pytest.mark.parametrize("folder", ["outputs", "outputs/", "./outputs/", "out*s/"])
def test_ls_of_a_folder_lists_what_is_under_it(recorded: GitRepo, folder: str) -> None:
    listed = run_offload("ls", folder, "--json", cwd=recorded.path)
    assert listed.rc == 0, listed.output
    assert {e["path"]: e["size"] for e in listed.json()["items"]} == {
        "outputs/a.png": 4300000, "outputs/shot 1/b.png": 2048}


def test_ls_table_shows_human_sizes(recorded: GitRepo) -> None:
    table = run_offload("ls", "outputs/", cwd=recorded.path)
    assert table.rc == 0, table.output
    lines = table.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split("  outputs/a.png")[0].strip() == "4.1 MiB"
    assert lines[1].split("  outputs/shot 1/b.png")[0].strip() == "2.0 KiB"
    assert "4300000" not in table.stdout


def test_ls_glob_still_matches_paths(recorded: GitRepo) -> None:
    listed = run_offload("ls", "*/d.png", "--json", cwd=recorded.path)
    assert [e["path"] for e in listed.json()["items"]] == ["other/outputs/d.png"]
