"""get and pull never silently replace a file whose content differs from offload.lock."""

from __future__ import annotations

from testing.cli import run_offload
from testing.repos import GitRepo

RECORDED = b"\x89PNG recorded version"
EDITED = b"\x89PNG edited locally, not recorded"


def recorded(repo: GitRepo, *names: str) -> None:
    for name in names:
        repo.write(name, RECORDED + name.encode())
    result = run_offload("put", *names, cwd=repo.path)
    assert result.rc == 0, result.output


def test_get_refuses_to_replace_a_changed_file_unless_forced(repo: GitRepo) -> None:
    recorded(repo, "shots/a.png")
    target = repo.path / "shots/a.png"
    same = run_offload("get", "shots/a.png", cwd=repo.path)
    assert same.rc == 0 and "unchanged" in same.stdout, same.output
    target.write_bytes(EDITED)
    refused = run_offload("get", "shots/a.png", cwd=repo.path)
    assert refused.rc == 1, refused.output
    assert "error:" in refused.stderr and "differ from offload.lock" in refused.stderr
    assert "next:" in refused.stderr and "offload get shots/a.png --force" in refused.stderr
    assert target.read_bytes() == EDITED
    forced = run_offload("get", "shots/a.png", "--force", "--json", cwd=repo.path)
    assert forced.rc == 0, forced.output
    assert [r["unchanged"] for r in forced.json()["items"]] == [False]
    assert target.read_bytes() == RECORDED + b"shots/a.png"


def test_get_into_a_folder_checks_every_file_before_writing(repo: GitRepo) -> None:
    recorded(repo, "shots/a.png", "shots/b.png")
    (repo.path / "dl").mkdir()
    (repo.path / "dl/b.png").write_bytes(EDITED)
    refused = run_offload("get", "shots/a.png", "shots/b.png", "-o", "dl", cwd=repo.path)
    assert refused.rc == 1 and "-o dl --force" in refused.stderr, refused.output
    assert sorted(p.name for p in (repo.path / "dl").iterdir()) == ["b.png"]  # nothing written
    forced = run_offload("get", "shots/a.png", "shots/b.png", "-o", "dl", "--force",
                         cwd=repo.path)
    assert forced.rc == 0, forced.output
    assert (repo.path / "dl/b.png").read_bytes() == RECORDED + b"shots/b.png"


def test_pull_leaves_and_lists_changed_files_unless_forced(repo: GitRepo) -> None:
    recorded(repo, "shots/a.png", "shots/b.png", "shots/c.png")
    (repo.path / "shots/a.png").write_bytes(EDITED)
    (repo.path / "shots/b.png").unlink()
    left = run_offload("pull", cwd=repo.path)
    assert left.rc == 1, left.output
    assert "pull: 1 fetched (32 B), 1 already present, 1 skipped (differs from offload.lock)" \
        in left.stderr and "shots/a.png" in left.stderr
    assert "shots/c.png" not in left.stderr and "offload pull --force" in left.stderr
    assert (repo.path / "shots/a.png").read_bytes() == EDITED
    assert (repo.path / "shots/b.png").read_bytes() == RECORDED + b"shots/b.png"  # still pulled
    forced = run_offload("pull", "--force", cwd=repo.path)
    assert forced.rc == 0, forced.output
    assert (repo.path / "shots/a.png").read_bytes() == RECORDED + b"shots/a.png"
    assert run_offload("pull", cwd=repo.path).rc == 0  # everything current: nothing to do
