"""`migrate --include-plain` never treats a symlink (a mode 120000 blob) as a binary to upload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from testing.cli import run_offload
from testing.repos import GitRepo, git

SECRET = b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
PLAN = "migrations/0001-lfs-to-store.yaml"
HERO = b"\x89PNG\r\n\x1a\n" + b"hero" * 64


@pytest.fixture
def clone(tmp_path: Path) -> GitRepo:
    """A fresh clone whose history holds a binary, symlinks named like images, and a small
    file whose bytes equal one symlink's target name (so it shares that symlink's blob)."""
    secret = tmp_path / "home" / ".aws" / "credentials"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(SECRET)
    origin = GitRepo(tmp_path / "origin")
    origin.write("art/hero.png", HERO)
    origin.write("art/real.png", b"hero.png")  # same blob as the link below
    (origin.path / "art/link.png").symlink_to("hero.png")
    (origin.path / "art/notes.png").symlink_to(secret)
    origin.write("README.md", "![hero](art/link.png) ![h](art/hero.png)\n")
    origin.add()
    origin.commit("art and links")
    git("clone", "-q", origin.path.as_uri(), str(tmp_path / "clone"), cwd=tmp_path)
    return GitRepo(tmp_path / "clone", init=False)


def offload(clone: GitRepo, tmp_path: Path, *args: str) -> Any:
    env = {"OFFLOAD_STORE": str(tmp_path / "store"),
           "OFFLOAD_PUBLIC_URL": "https://cdn.example.test/prod"}
    return run_offload(*args, cwd=clone.path, env=env)


def modes(clone: GitRepo, rev: str = "HEAD") -> dict[str, str]:
    out = clone.git("ls-tree", "-r", rev)
    return {line.split("\t")[1]: line.split()[0] for line in out.splitlines()}


def store_contents(tmp_path: Path) -> list[bytes]:
    return [p.read_bytes() for p in (tmp_path / "store").rglob("*") if p.is_file()
            and ".offload-meta" not in p.parts]


def test_plan_selects_no_symlink_blob(clone: GitRepo, tmp_path: Path) -> None:
    result = offload(clone, tmp_path, "migrate", "plan", "--include-plain", "--json")
    assert result.rc == 0, result.output
    plan = (clone.path / PLAN).read_text(encoding="utf-8")
    data = yaml.safe_load(plan)
    selected = {p["path"] for o in data["objects"] for p in o["paths"]}
    assert selected == {"art/hero.png"}
    skipped = {(s["path"], s["kind"]) for s in data["skipped"]}
    assert {("art/link.png", "symlink"), ("art/notes.png", "symlink"),
            ("art/real.png", "same content as a symlink")} <= skipped


@pytest.mark.parametrize("mode", ["history", "tip"])
def test_run_keeps_symlinks_and_uploads_only_the_binary(
        clone: GitRepo, tmp_path: Path, mode: str) -> None:
    assert offload(clone, tmp_path, "migrate", "plan", "--include-plain").rc == 0
    result = offload(clone, tmp_path, "migrate", "run", PLAN, "--mode", mode)
    assert result.rc == 0, result.output
    after = modes(clone)
    assert after["art/link.png"] == after["art/notes.png"] == "120000"
    assert "art/hero.png" not in after
    assert clone.git("show", "HEAD:art/link.png") == "hero.png"
    assert store_contents(tmp_path) == [HERO]
    lock = clone.git("show", "HEAD:offload.lock")
    assert '"path": "art/hero.png"' in lock and "link.png" not in lock
    assert "notes.png" not in lock
