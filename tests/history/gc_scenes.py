"""A repository whose store holds referenced objects (main, a side branch, a tag, a backup
ref, a generation) next to garbage of every kind, for the gc tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo


def png(tag: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + tag.encode() * 64


@dataclass
class Scene:
    referenced: set[str] = field(default_factory=set)
    garbage: set[str] = field(default_factory=set)


def put(repo: GitRepo, env: dict[str, str], rel: str, tag: str) -> str:
    repo.write(rel, png(tag))
    result = run_offload("put", rel, "--json", cwd=repo.path, env=env)
    assert result.rc == 0, result.output
    key: str = result.json()["items"][0]["key"]
    return key


def commit_asset(repo: GitRepo, env: dict[str, str], rel: str, tag: str, scene: Scene) -> None:
    scene.referenced.add(put(repo, env, rel, tag))
    repo.add("offload.lock")
    repo.commit(f"add {rel}")


def build_scene(repo: GitRepo, env: dict[str, str]) -> Scene:
    """Referenced: on main, a side branch, a tag, a backup ref and one generation (image and
    claim). Garbage: an unreferenced upload and an orphan claim (temp files and multipart
    uploads are the store's own and added by each test)."""
    scene = Scene()
    repo.write(".gitignore", "art/\ncharacters/\n")
    repo.add(".gitignore")
    repo.commit("ignore art")
    commit_asset(repo, env, "art/main.png", "main", scene)
    for where in ("side", "tagged", "backed-up"):
        repo.git("checkout", "-q", "-b", where)
        commit_asset(repo, env, f"art/{where}.png", where, scene)
        repo.git("checkout", "-q", "main")
    repo.git("tag", "-a", "t1", "-m", "tagged", "tagged")
    repo.git("update-ref", "refs/offload/backup/0001-x/refs/heads/main", "backed-up")
    repo.git("branch", "-q", "-D", "tagged", "backed-up")
    generated = run_offload("generate", "turnaround", "--character", "mira", "--prompt",
                            "pilot", "--provider", "placeholder", "--json", cwd=repo.path,
                            env=env)
    assert generated.rc == 0, generated.output
    repo.add("offload.lock")
    repo.commit("mira v1")
    lock = [json.loads(line) for line in (repo.path / "offload.lock").read_text().splitlines()]
    scene.referenced |= {e["key"] for e in lock}
    scene.referenced.add("characters/mira/turnaround/.claims/v1")
    scene.garbage.add(put(repo, env, "art/dropped.png", "dropped"))
    repo.git("checkout", "--", "offload.lock")  # the upload is never recorded
    return scene


def orphan_claim_body() -> bytes:
    return json.dumps({"version": 7, "path": "characters/mira/turnaround/v7.png"}).encode()


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}
