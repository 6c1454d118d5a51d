"""The untrusted-path rules, and a property test: random hostile manifest paths given to pull,
get, the Python API and the plan loader never change anything outside the work tree or in .git."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import offload
from offload.errors import OffloadError, UsageError
from offload.migrate.planfile import read_plan
from offload.ops.fetch import get, pull
from offload.safepaths import UnsafeTarget, path_problem, tree_target
from offload.workspace import Workspace
from tests.cli.hostile import Scene, make_scene


@pytest.mark.parametrize("path", ["a.png", "chars/mira/v1.png", "my hero é.png", "a..b/c.d.png",
                                  ".gitignore", "x/.github/y.png", "git/a.png", "x" * 255])
def test_plain_paths_pass(path: str) -> None:
    assert path_problem(path) is None


@pytest.mark.parametrize("path", [
    "", ".", "..", "../a", "a/../b", "a/./b", "./a", "/a", "a//b", "a/", ".git", ".git/config",
    ".GIT/config", "a/.Git/x", ".git./x", ".git /x", ".g\u200cit/config", "GIT~1/config",
    "a\0b", "a\nb", "a\x1b[2Jb", "a\x9bb", "a\udc80b", "x" * 256, "a/" * 600 + "b",
])
def test_hostile_paths_are_named(path: str) -> None:
    assert path_problem(path) is not None


def test_non_strings_are_refused() -> None:
    assert path_problem(None) and path_problem(3) and path_problem(["a"])


def test_tree_target_follows_only_symlinks_that_stay_inside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "in").symlink_to("sub")
    (root / "out").symlink_to(tmp_path)
    (root / "git").symlink_to(".git")
    (root / "file").write_text("")
    assert tree_target(root, "in/new/a.png") == (root / "sub/new/a.png").resolve()
    assert (root / "sub/new").is_dir()
    for bad in ("out/a.png", "git/config", "file/a.png", "sub"):
        with pytest.raises(UnsafeTarget):
            tree_target(root, bad)
    assert tree_target(root, "missing/deep/a.png", create=False).name == "a.png"
    assert not (root / "missing").exists()


# --- the property test -------------------------------------------------------------------

_NAMES = st.text(st.characters(codec="utf-8", exclude_characters="/\0",
                               exclude_categories=("Cc", "Cs")), min_size=1, max_size=8)
_LEXICAL = st.sampled_from([
    "..", ".", "", ".git", ".GIT", ".Git", ".git.", "GIT~1", "a\0b", "x" * 2000, "bell\a",
    "nl\nx", "esc\x1b[0m", "del\x7f", "c1\x85",
])
_THROUGH = st.sampled_from(["escape", "gitlink", "escape/deeper", "inner/../escape"])


@st.composite
def hostile_paths(draw: st.DrawFn) -> str:
    """A path with at least one hostile part: a lexical one anywhere, or a symlinked folder
    leading out of the work tree as a parent (a symlink as the last part is replaced, which is
    not hostile)."""
    before = draw(st.lists(_NAMES.filter(lambda n: n.strip(". ") != ""), max_size=2))
    after = draw(st.lists(_NAMES, min_size=1, max_size=2))
    if draw(st.booleans()):
        parts = [*before, draw(_LEXICAL), *after]
    else:
        parts = [draw(_THROUGH), *after]
    path = "/".join(parts)
    return draw(st.sampled_from([path, "/" + path, path + "/"]))


def _refused(call: Callable[[], object]) -> bool:
    """True when offload refused with its own error; any other exception fails the test."""
    try:
        call()
    except OffloadError:
        return True
    return False


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    yield make_scene(tmp_path_factory.mktemp("hostile"))


# derandomized: the same examples on every run (a CI run never meets a new one by chance), and
# no example database written into the checkout
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=hostile_paths())
def test_hostile_paths_change_nothing_outside(scene: Scene, path: str) -> None:
    ws = Workspace.discover(scene.repo.path)
    store = offload.Store(ws)
    plan = scene.repo.path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"offload_migration": 1, "name": path,
                                    "refs": {"original": {}}}), encoding="utf-8")
    before = scene.snapshot()
    scene.lock("ok.png", path)
    assert _refused(lambda: pull(ws, []))
    assert _refused(lambda: get(ws, [path], None))
    _refused(lambda: get(ws, [path], scene.repo.path / "dl"))  # -o: only the file name is used
    assert _refused(lambda: store.open_write(path))
    _refused(lambda: store.url(path))
    assert _refused(lambda: read_plan(plan))
    assert scene.snapshot() == before


def test_api_refuses_a_symlinked_folder_leading_outside(scene: Scene) -> None:
    store = offload.Store.from_repo(scene.repo.path)
    with pytest.raises(UsageError, match="outside the work tree"):
        store.open_write("escape/a.png")
    with pytest.raises(UsageError, match="not a path or URL"):
        store.url("a\0.png")
