"""Hostile offload.lock lines and plan files through the real CLI: refused with exit 3 naming the
line, error:/next: and no traceback, and nothing outside the work tree (or in .git) changes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from offload.errors import ExitCode
from testing.cli import CliResult, run_offload
from tests.cli.hostile import ASSET, Scene, make_scene


@pytest.fixture
def scene(tmp_path: Path) -> Scene:
    return make_scene(tmp_path)


def refused(result: CliResult, line: int | None = 1) -> None:
    assert result.rc == ExitCode.CONFIG, result.output
    assert "error:" in result.stderr and "next:" in result.stderr, result.output
    assert "Traceback" not in result.output
    if line is not None:
        assert f"offload.lock line {line}" in result.stderr, result.stderr


def test_pull_refuses_writing_git_config(scene: Scene) -> None:
    config = scene.repo.path / ".git" / "config"
    before = config.read_bytes()
    scene.lock("a.png", ".git/config")
    snapshot = scene.snapshot()
    refused(run_offload("pull", cwd=scene.repo.path), line=2)
    assert config.read_bytes() == before
    assert scene.snapshot() == snapshot


def test_pull_refuses_a_committed_symlinked_folder_leading_outside(scene: Scene) -> None:
    scene.lock("escape/planted.png")
    snapshot = scene.snapshot()
    result = run_offload("pull", cwd=scene.repo.path)
    refused(result)
    assert "outside the work tree" in result.stderr
    assert not (scene.outside / "planted.png").exists()
    assert scene.snapshot() == snapshot


HOSTILE = ["../planted.png", "/tmp/planted.png", ".GIT/config", "x/.git/hooks/pre-commit",
           "a/./b.png", "a//b.png", "bell\a.png", "esc\x1b[31m.png", "new\nline.png",
           "x" * 2000 + ".png", "gitlink/config"]


@pytest.mark.parametrize("path", HOSTILE)
def test_pull_refuses_hostile_paths(scene: Scene, path: str) -> None:
    scene.lock("a.png", path)
    snapshot = scene.snapshot()
    refused(run_offload("pull", cwd=scene.repo.path), line=2)
    assert scene.snapshot() == snapshot


@pytest.mark.parametrize(("command", "path"), [
    (["get"], "../planted.png"), (["get", "-o", "dl"], ".git/config"), (["url"], "a/./b.png")])
def test_get_and_url_refuse_hostile_paths(scene: Scene, path: str, command: list[str]) -> None:
    scene.lock(path)
    snapshot = scene.snapshot()
    refused(run_offload(command[0], path, *command[1:], cwd=scene.repo.path))
    assert scene.snapshot() == snapshot


def test_get_refuses_a_symlinked_folder_leading_outside(scene: Scene) -> None:
    scene.lock("escape/planted.png")
    snapshot = scene.snapshot()
    refused(run_offload("get", "escape/planted.png", cwd=scene.repo.path))
    assert scene.snapshot() == snapshot
    got = run_offload("get", "escape/planted.png", "-o", "dl", cwd=scene.repo.path)
    assert got.rc == 0, got.output  # -o names the folder: only the file name is used
    assert (scene.repo.path / "dl" / "planted.png").read_bytes() == ASSET


def test_get_output_folder_with_manifest_path_dot(scene: Scene) -> None:
    scene.lock(".")
    refused(run_offload("get", ".", "-o", "dl", cwd=scene.repo.path))
    assert not (scene.repo.path / "dl").exists()


def test_non_utf8_lock_names_the_line(scene: Scene) -> None:
    scene.lock("a.png")
    with open(scene.repo.path / "offload.lock", "ab") as handle:
        handle.write(b'{"path": "caf\xe9.png"}\n')
    result = run_offload("ls", cwd=scene.repo.path)
    refused(result, line=2)
    assert "UTF-8" in result.stderr


@pytest.mark.parametrize("size", ["1e400", "-1", "true", "2.5", '"3"'])
def test_bad_sizes_name_the_line(scene: Scene, size: str) -> None:
    scene.lock("a.png")
    lock = scene.repo.path / "offload.lock"
    text = lock.read_text(encoding="utf-8")
    lock.write_text(text.replace(f'"size": {len(ASSET)}', f'"size": {size}'), encoding="utf-8")
    result = run_offload("pull", cwd=scene.repo.path)
    refused(result)
    assert "size" in result.stderr


def test_pull_writes_through_a_symlinked_folder_that_stays_inside(scene: Scene) -> None:
    scene.lock("inner/deep/a.png")
    result = run_offload("pull", cwd=scene.repo.path)
    assert result.rc == 0, result.output
    assert (scene.repo.path / "sub" / "deep" / "a.png").read_bytes() == ASSET


def test_pull_replaces_a_symlinked_file_instead_of_following_it(scene: Scene) -> None:
    (scene.repo.path / "a.png").symlink_to("../outside/precious.txt")
    scene.lock("a.png")
    snapshot = scene.snapshot()
    result = run_offload("pull", cwd=scene.repo.path)
    assert result.rc == 0, result.output
    assert not (scene.repo.path / "a.png").is_symlink()
    assert (scene.repo.path / "a.png").read_bytes() == ASSET
    assert scene.snapshot() == snapshot


def test_fix_refuses_a_hostile_lock_line(scene: Scene) -> None:
    (scene.base / "store").mkdir()
    scene.repo.commit_files({"offload.yaml": f"store: {scene.base / 'store'}\n"}, "config")
    scene.repo.write("renders/new.png", ASSET + b"new")
    scene.repo.add("renders/new.png")
    scene.lock("../planted.png")
    snapshot = scene.snapshot()
    result = run_offload("fix", cwd=scene.repo.path)
    refused(result)
    assert "renders/new.png" in scene.repo.git("diff", "--cached", "--name-only")
    assert _without_private_state(scene.snapshot()) == _without_private_state(snapshot)


def _without_private_state(snapshot: dict[str, tuple[int, int, int]]
                            ) -> dict[str, tuple[int, int, int]]:
    """fix uploads before it records, refreshes the index and uses a scratch folder in
    .git/offload: what matters is that nothing else changed."""
    private = ("store", "repo/.git/index", "repo/.git/offload")
    return {k: v for k, v in snapshot.items() if not k.startswith(private)}


def _plan(scene: Scene, name: str) -> Path:
    head = scene.repo.head()
    data = {"offload_migration": 1, "name": name,
            "refs": {"selection": "branches", "original": {"refs/heads/main": head}},
            "recipe": {"name": "x", "select": {"lfs": True, "plain": False, "exclude": []},
                       "key_template": "{path}", "references": {"rewrite": [], "report": []}},
            "objects": [],
            "result": {"mode": "tip", "tip": {"ref": "refs/heads/main", "old": head,
                                              "new": head}}}
    path = scene.repo.path / "migrations" / "0001-x.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["run", "rollback", "verify"])
def test_plan_name_cannot_reach_outside(scene: Scene, command: str) -> None:
    plan = _plan(scene, "../../../../outside")
    snapshot = scene.snapshot()
    result = run_offload("migrate", command, plan, cwd=scene.repo.path)
    refused(result, line=None)
    assert "`name`" in result.stderr
    assert (scene.outside / "precious.txt").is_file()
    assert scene.snapshot() == snapshot


def test_plan_ref_names_cannot_inject_update_ref_commands(scene: Scene) -> None:
    plan = _plan(scene, "0001-x")
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["result"]["tip"]["ref"] = "refs/heads/main 0000\ndelete refs/heads/main"
    plan.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = run_offload("migrate", "rollback", plan, cwd=scene.repo.path)
    refused(result, line=None)
    assert scene.repo.git("rev-parse", "refs/heads/main").strip() == data["refs"]["original"][
        "refs/heads/main"]
