"""put, pull and watch --once end with one line of counts and bytes, the same in --json."""

from __future__ import annotations

import os

from testing.cli import run_offload
from testing.repos import GitRepo


def test_put_counts_uploaded_already_stored_and_skipped(repo: GitRepo) -> None:
    repo.write("shots/old.png", b"o" * 1000)
    assert run_offload("put", "shots/old.png", cwd=repo.path).rc == 0
    repo.write("shots/a.png", b"a" * 2048)
    repo.write("shots/b.png", b"b" * 2048)
    os.symlink("a.png", repo.path / "shots" / "link.png")
    result = run_offload("put", "shots", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "put: 2 uploaded (4.0 KiB), 1 already stored, 1 skipped (symlink)" in result.stderr
    assert result.stdout.count("\t") == 3  # stdout keeps one `path<TAB>url` line per file

    repo.write("shots/c.png", b"c" * 10)
    as_json = run_offload("put", "shots", "--json", cwd=repo.path)
    assert as_json.rc == 0, as_json.output
    assert as_json.json()["summary"] == {
        "uploaded": 1, "uploaded_bytes": 10, "already_stored": 3, "already_stored_bytes": 5096,
        "skipped": 1, "skipped_why": {"symlink": 1}}
    assert len(as_json.json()["items"]) == 4


def test_pull_counts_and_ignores_a_folder_of_assets_with_one_line(repo: GitRepo) -> None:
    for i in range(5):
        repo.write(f"renders/r{i}.png", bytes([i]) * 100)
    repo.write("renders/sub/deep.png", b"deep")
    assert run_offload("put", "renders", cwd=repo.path).rc == 0
    for i in range(3):
        (repo.path / f"renders/r{i}.png").unlink()
    result = run_offload("pull", cwd=repo.path)
    assert result.rc == 0, result.output
    assert result.stdout.strip() == "pull: 3 fetched (300 B), 3 already present"
    assert (repo.path / ".gitignore").read_text() == "/renders/\n"
    assert result.stderr.count("\n") == 1
    assert "ignored renders/ in .gitignore (6 file(s))" in result.stderr

    again = run_offload("pull", "--json", cwd=repo.path)
    assert again.rc == 0 and again.json()["items"] == [], again.output
    assert again.json()["summary"] == {
        "fetched": 0, "fetched_bytes": 0, "already_present": 6, "already_present_bytes": 504,
        "skipped": 0, "skipped_why": {}}
    assert (repo.path / ".gitignore").read_text() == "/renders/\n"


def test_pull_ignores_assets_one_by_one_where_git_tracks_other_files(repo: GitRepo) -> None:
    repo.commit_files({"renders/notes.md": "what these renders are\n"}, "notes")
    repo.write("renders/a.png", b"a")
    repo.write("renders/wip/b.png", b"b")
    repo.write("renders/mixed/c.png", b"c")
    assert run_offload("put", "renders/a.png", "renders/wip", "renders/mixed",
                       cwd=repo.path).rc == 0
    repo.write("renders/mixed/sketch.txt", "not an asset, not tracked")
    for name in ("a.png", "wip/b.png", "mixed/c.png"):
        (repo.path / "renders" / name).unlink()
    result = run_offload("pull", cwd=repo.path)
    assert result.rc == 0, result.output
    lines = (repo.path / ".gitignore").read_text().splitlines()
    assert sorted(lines) == ["/renders/a.png", "/renders/mixed/c.png", "/renders/wip/"]
    assert "renders/mixed/sketch.txt" in repo.git("status", "--porcelain", "-uall")


def test_watch_once_ends_with_the_summary(repo: GitRepo) -> None:
    repo.write("offload.yaml", 'watch:\n  paths: ["outputs/"]\n  settle_ms: 50\n')
    repo.write("outputs/one.png", b"1" * 1024)
    repo.write("outputs/two.png", b"2" * 1024)
    os.symlink("one.png", repo.path / "outputs" / "alias.png")
    result = run_offload("watch", "--once", cwd=repo.path, timeout=60)
    assert result.rc == 0, result.output
    assert result.stdout.strip() == \
        "watch: 2 uploaded (2.0 KiB), 0 already stored, 1 skipped (symlink)"
    repo.write("outputs/three.png", b"2" * 1024)  # the same bytes as two.png: a new key
    as_json = run_offload("watch", "--once", "--json", cwd=repo.path, timeout=60)
    assert as_json.rc == 0, as_json.output
    summary = as_json.json()["summary"]
    assert (summary["uploaded"], summary["uploaded_bytes"]) == (1, 1024)
    assert as_json.json()["kind"] == "watch" and as_json.json()["uploaded"] == 1
