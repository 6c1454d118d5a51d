"""Build the sample production repository of ``offload demo`` with real git and git-lfs.

Layout under the target folder: ``origin.git`` (bare remote that is also the ``file://`` LFS
server, holding every LFS object) and ``film`` (a fresh clone of it, with its LFS objects
fetched: what a user migrates). Commit dates and identities are fixed, so every build yields
the same commit ids.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from offload.errors import GitStateError, UsageError
from offload.git.run import run_git
from offload.migrate.demo import content as c

_EPOCH = 1767600000  # 2026-01-05 08:00 UTC
_IDENTITY = {"GIT_AUTHOR_NAME": "Ada Storyboard", "GIT_AUTHOR_EMAIL": "ada@lighthouse.invalid",
             "GIT_COMMITTER_NAME": "Ada Storyboard",
             "GIT_COMMITTER_EMAIL": "ada@lighthouse.invalid"}


@dataclass(frozen=True)
class DemoRepo:
    root: Path
    remote: Path
    clone: Path
    tag: str = "v0.1-animatic"


class _Author:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tick = 0

    def env(self) -> dict[str, str]:
        self.tick += 1
        stamp = f"{_EPOCH + 3600 * self.tick} +0000"
        return {**_IDENTITY, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        return run_git(*args, cwd=self.path, env={**os.environ, **_IDENTITY, **(env or {})}).text

    def commit(self, message: str, files: Mapping[str, bytes | str]) -> None:
        for rel, content in files.items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode() if isinstance(content, str) else content)
        self.git("add", "--", *files)
        self.git("commit", "-q", "-m", message, env=self.env())


def build_demo_repo(dest: Path) -> DemoRepo:
    """Create ``dest/origin.git`` and ``dest/film``; ``dest`` must be empty or absent."""
    if shutil.which("git-lfs") is None:
        raise GitStateError("git-lfs is not installed", "install it (Debian: apt install git-lfs)")
    if dest.exists() and any(dest.iterdir()):
        raise UsageError(f"{dest} is not empty", "name a new folder for the demo repository")
    remote, authoring, clone = dest / "origin.git", dest / ".authoring", dest / "film"
    dest.mkdir(parents=True, exist_ok=True)
    run_git("init", "-q", "--bare", "-b", "main", str(remote), cwd=dest)
    run_git("init", "-q", "-b", "main", str(authoring), cwd=dest)
    author = _Author(authoring)
    author.git("lfs", "install", "--local")
    author.git("remote", "add", "origin", remote.as_uri())
    _write_history(author)
    author.git("push", "-q", "origin", "main", "kenji")
    author.git("push", "-q", "origin", "--tags")
    author.git("lfs", "push", "--all", "origin")
    shutil.rmtree(authoring)
    run_git("clone", "-q", remote.as_uri(), str(clone), cwd=dest,
            env={**os.environ, "GIT_LFS_SKIP_SMUDGE": "1"})
    run_git("lfs", "install", "--local", cwd=clone)
    run_git("lfs", "pull", cwd=clone)
    run_git("branch", "-q", "--track", "kenji", "origin/kenji", cwd=clone)
    return DemoRepo(dest, remote, clone)


def _write_history(a: _Author) -> None:
    attributes = "".join(f"{p} filter=lfs diff=lfs merge=lfs -text\n" for p in c.LFS_PATTERNS)
    a.commit("Track generated images with Git LFS", {
        ".gitattributes": attributes,
        "prompts/mira.txt": "Mira, 30s, lighthouse keeper, teal raincoat, four views.\n",
    })
    a.commit("Mira: turnaround v1 and portrait", {
        "characters/mira/turnaround/v1.png": c.turnaround("mira", 1),
        "characters/mira/portrait.png": c.image("mira portrait take 1"),
        "characters/mira/character.yaml": c.character_yaml("mira", 1),
        "README.md": c.readme(1),
    })
    a.commit("Storyboard: scene 1 and cover", {
        "storyboard/scene-01/shot-01.png": c.image("scene 1 shot 1"),
        "storyboard/scene-01/shot-02.png": c.image("scene 1 shot 2"),
        "storyboard/scene-01/scene.md": c.SCENE_01,
        "storyboard/cover.png": c.image("cover"),
    })
    a.commit("Mira: turnaround v2, new portrait", {
        "characters/mira/turnaround/v2.png": c.turnaround("mira", 2),
        "characters/mira/portrait.png": c.image("mira portrait take 2"),
        "characters/mira/character.yaml": c.character_yaml("mira", 2),
        "README.md": c.readme(2),
    })
    a.commit("Site preview and render script", {
        "site/index.html": c.INDEX_HTML,
        "site/style.css": c.STYLE_CSS,
        "scripts/render.py": c.RENDER_PY,
    })
    a.git("tag", "-a", "v0.1-animatic", "-m", "Animatic sent for review", env=a.env())
    a.git("checkout", "-q", "-b", "kenji")
    a.commit("Kenji: turnaround v1 and portrait", {
        "characters/kenji/turnaround/v1.png": c.turnaround("kenji", 1),
        "characters/kenji/portrait.png": c.image("kenji portrait"),
        "characters/kenji/character.yaml": c.character_yaml("kenji", 1),
    })
    a.commit("Kenji: turnaround v2", {
        "characters/kenji/turnaround/v2.png": c.turnaround("kenji", 2),
        "characters/kenji/character.yaml": c.character_yaml("kenji", 2),
    })
    a.git("checkout", "-q", "main")
    a.commit("Storyboard: scene 3 at the café", {
        c.CAFE_SHOT: c.image("scene 3 cafe wide"),
        "storyboard/scene-03/scene.md": c.SCENE_03,
        "storyboard/shots.json": c.SHOTS_JSON,
    })
    a.commit("Mira: turnaround v3, portrait take 3", {
        "characters/mira/turnaround/v3.png": c.turnaround("mira", 3),
        "characters/mira/portrait.png": c.image("mira portrait take 3"),
        "characters/mira/character.yaml": c.character_yaml("mira", 3),
        "README.md": c.readme(3),
    })
    a.git("merge", "-q", "--no-ff", "-m", "Merge branch 'kenji'", "kenji", env=a.env())
