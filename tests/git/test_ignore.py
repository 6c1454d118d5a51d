from pathlib import Path

import pytest

from offload.git.ignore import ensure_ignored, ignore_pattern
from testing.repos import GitRepo


@pytest.mark.parametrize(
    "name", ["a*.png", "[draft] b.png", "#hash.png", "!bang.png", "trailing .png ", "ü é.png",
             "sub/dir/x?.png"],
)
def test_each_pattern_ignores_exactly_its_file(repo: GitRepo, name: str) -> None:
    repo.write(name, b"x")
    repo.write("a-look-alike.png", b"y")
    ensure_ignored(repo.path, [name])
    asked = f"{name}\0a-look-alike.png\0".encode()
    ignored = repo.git("check-ignore", "--no-index", "--stdin", "-z", input=asked)
    assert ignored.split("\0")[:-1] == [name]


def test_lines_are_added_once_and_the_file_keeps_its_end(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules")  # no final newline
    assert ensure_ignored(tmp_path, ["a.png", "a.png"]) == ["/a.png"]
    assert ensure_ignored(tmp_path, ["a.png"]) == []
    assert (tmp_path / ".gitignore").read_text() == "node_modules\n/a.png\n"
    assert ignore_pattern("x/*.png") == "/x/\\*.png"
