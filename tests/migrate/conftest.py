"""A small production repository in real git-lfs, pushed to a file:// remote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from testing.repos import GitRepo, LfsRepo, lfs_available

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")

PUBLIC = "https://cdn.example.test/prod"


def png(tag: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + tag.encode() * 50


@dataclass
class Production:
    origin: LfsRepo
    commits: dict[str, str]


def build_production(root: Path) -> Production:
    repo = LfsRepo(root / "origin")
    c: dict[str, str] = {}
    c["v1"] = repo.commit_files({
        "chars/hero.png": png("hero-v1"),
        "chars/my hero é.png": png("space"),
        "docs/story.md": "# Story\n\n![hero](../chars/hero.png)\n![b](<../chars/my hero é.png>)\n"
                         "[out](../../etc/x.png) ![gone](../chars/none.png)\n",
        "data/cast.json": '{"hero": "chars/hero.png", "n": 1}\n',
        "tools/make.py": "OUT = 'chars/hero.png'\n",
        "chars/q'uote \"x\".png": png("quote"),
        "docs/latin1.md": b"caf\xe9 ![x](../chars/hero.png)\n",
    }, "add hero v1")
    (repo.path / "chars/link.png").symlink_to("hero.png")
    repo.git("add", "chars/link.png")
    (repo.path / "vendor/sub").mkdir(parents=True)  # an uninitialised submodule
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{c['v1']},vendor/sub")
    c["links"] = repo.commit("symlink and submodule")
    c["v2"] = repo.commit_files({"chars/hero.png": png("hero-v2")}, "hero v2")
    repo.git("checkout", "-q", "-b", "feature")
    c["scene"] = repo.commit_files({
        "scenes/s1.jpg": png("scene1"),
        "scenes/s1.html": '<img src="s1.jpg" alt="s"><img src="../chars/hero.png">\n',
    }, "scene 1")
    repo.git("checkout", "-q", "main")
    c["v3"] = repo.commit_files({"chars/hero.png": png("hero-v3")}, "hero v3")
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    c["merge"] = repo.head()
    repo.git("tag", "-a", "v1.0", "-m", "release one", c["v2"])
    repo.push()
    return Production(repo, c)


@pytest.fixture(scope="session")
def production(tmp_path_factory: pytest.TempPathFactory) -> Production:
    return build_production(tmp_path_factory.mktemp("production"))


@pytest.fixture
def clone(production: Production, tmp_path: Path) -> GitRepo:
    """A fresh clone made without downloading LFS content (objects must be fetched)."""
    return production.origin.clone(tmp_path / "clone", skip_smudge=True)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A shared store outside the clone and a fixed public URL (URLs equal across clones)."""
    return {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
