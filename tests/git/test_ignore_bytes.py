"""The user's .gitignore is bytes offload appends to: any encoding, any name, never a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from offload.errors import GitStateError
from offload.git.ignore import ensure_ignored
from testing.cli import run_offload
from testing.repos import GitRepo


def test_latin1_gitignore_is_kept_byte_for_byte(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes(b"# caf\xe9\n*.tmp")
    assert ensure_ignored(tmp_path, ["a.png", "a.png"]) == ["/a.png"]
    assert ensure_ignored(tmp_path, ["a.png"]) == []
    assert (tmp_path / ".gitignore").read_bytes() == b"# caf\xe9\n*.tmp\n/a.png\n"


def test_undecodable_and_control_character_names_match_exactly(repo: GitRepo) -> None:
    names = [b"caf\xe9.png", b"new\nline.png", b"r\xc3\xa9sum\xc3\xa9 *.png", b"end\r"]
    for name in [*names, b"cafe.png", b"caf\xc3\xa9.png"]:
        (repo.path / os.fsdecode(name)).write_bytes(b"x")
    ensure_ignored(repo.path, [os.fsdecode(name) for name in names])
    asked = b"".join(name + b"\0" for name in [*names, b"cafe.png", b"caf\xc3\xa9.png"])
    out = repo.git("check-ignore", "--no-index", "--stdin", "-z", input=asked)
    assert [os.fsencode(p) for p in out.split("\0")[:-1]] == names


def test_a_symlinked_gitignore_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep\n")
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(outside, root / ".gitignore")
    with pytest.raises(GitStateError, match="not a regular file"):
        ensure_ignored(root, ["a.png"])
    assert outside.read_bytes() == b"keep\n"


def test_watch_once_with_a_latin1_gitignore(repo: GitRepo) -> None:
    repo.write("offload.yaml", 'watch:\n  paths: ["outputs/"]\n  settle_ms: 50\n')
    repo.write(".gitignore", b"# rendus du caf\xe9\n*.tmp\n")
    repo.write("outputs/shot.png", b"\x89PNG frame")
    result = run_offload("watch", "--once", "--json", cwd=repo.path, timeout=60)
    assert result.rc == 0, result.output
    assert result.json()["uploaded"] == 1
    assert '"path": "outputs/shot.png"' in (repo.path / "offload.lock").read_text()
    assert (repo.path / ".gitignore").read_bytes() == b"# rendus du caf\xe9\n*.tmp\n/outputs\n"
