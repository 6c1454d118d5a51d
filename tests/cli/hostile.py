"""A repository with one stored asset, symlinks that lead out of it, hostile offload.lock lines,
and a snapshot of everything offload must never change: outside the work tree, and .git."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from offload.workspace import Workspace
from testing.repos import GitRepo

ASSET = b"\x89PNG\r\n\x1a\n" + b"hostile-test" * 20
Snapshot = dict[str, tuple[int, int, int]]


@dataclass
class Scene:
    base: Path
    repo: GitRepo
    record: dict[str, object]  # offload.lock line of the stored asset

    @property
    def outside(self) -> Path:
        return self.base / "outside"

    def lock(self, *paths: str) -> None:
        """offload.lock with a line per path, each naming the stored asset's key and sha256."""
        lines = [json.dumps({**self.record, "path": p}, ensure_ascii=False) for p in paths]
        (self.repo.path / "offload.lock").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8")

    def snapshot(self) -> Snapshot:
        """Type, size and mtime of every entry under the base folder except the work tree
        (its .git is kept): a write, a create or a delete anywhere there shows."""
        found: Snapshot = {}
        tree = self.repo.path
        for folder, dirnames, filenames in os.walk(self.base):
            here = Path(folder)
            if here == tree:
                dirnames[:] = [d for d in dirnames if d == ".git"]
                filenames = []
            for name in [*dirnames, *filenames]:
                info = os.lstat(here / name)
                changes = here / name != tree  # the work tree's own folder may change
                found[str((here / name).relative_to(self.base))] = (
                    info.st_mode, info.st_size * changes, info.st_mtime_ns * changes)
        info = os.lstat(self.base)
        found["."] = (info.st_mode, info.st_size, info.st_mtime_ns)
        return found


def make_scene(base: Path) -> Scene:
    """``repo/escape`` -> ../outside, ``repo/gitlink`` -> .git, ``repo/inner`` -> sub (stays
    inside), all committed; one asset put into the local store (under .git)."""
    from offload.ops.put import put_paths

    repo = GitRepo(base / "repo")
    repo.commit("initial", allow_empty=True)
    (base / "outside").mkdir()
    (base / "outside" / "precious.txt").write_text("keep me\n")
    (repo.path / "sub").mkdir()
    (repo.path / "sub" / ".keep").write_text("")
    (repo.path / "escape").symlink_to("../outside")
    (repo.path / "gitlink").symlink_to(".git")
    (repo.path / "inner").symlink_to("sub")
    repo.add("escape", "gitlink", "inner", "sub/.keep")
    repo.commit("symlinked folders")
    source = repo.write("asset.png", ASSET)
    [entry] = put_paths(Workspace.discover(repo.path), [source])
    source.unlink()
    return Scene(base, repo, entry.to_json())
