"""A small production repository for the gallery tests, built through the real CLI."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import stop_process

NINA = "characters/nina/turnaround"
PROMPTS = {"v1": "nina, red coat, neutral pose", "v2": "keep the others, fix the 3/4 view",
           "v3": "keep the others, fix the side view"}
PLAIN = ("scenes/s01/frame.png", "storyboards/board1.png", "props/lamp.png")
FAMILIES = {NINA, *PLAIN}


def png(colour: str, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def ok(repo: GitRepo, *args: str) -> str:
    result = run_offload(*args, cwd=repo.path)
    assert result.rc == 0, result.output
    return result.stdout


def build_sample(root: Path) -> GitRepo:
    """Three plain assets (one with two versions) and Nina's v1 → v2 → v3 turnaround."""
    repo = GitRepo(root)
    repo.commit("initial", allow_empty=True)
    for path, colour in zip(PLAIN, ("red", "blue", "green"), strict=True):
        repo.write(path, png(colour))
    ok(repo, "put", "--untrack", *PLAIN)
    repo.add("offload.lock", ".gitignore")
    repo.commit("assets")
    ok(repo, "generate", "turnaround", "--character", "nina", "--prompt", PROMPTS["v1"])
    repo.add("offload.lock")
    repo.commit("nina v1")
    for version, parent, view in (("v2", "v1", "three-quarter"), ("v3", "v2", "side")):
        ok(repo, "generate", "turnaround", "--character", "nina", "--prompt", PROMPTS[version],
           "--reference", f"{NINA}/{parent}.png", "--fix-view", view)
        repo.add("offload.lock")
        repo.commit(f"nina {version}")
    repo.write(PLAIN[0], png("yellow"))
    ok(repo, "put", PLAIN[0])
    repo.add("offload.lock")
    repo.commit("frame, second take")
    return repo


@contextmanager
def serving(repo: GitRepo, command: tuple[str, ...] = ("serve",),
            env: dict[str, str] | None = None) -> Iterator[str]:
    """``offload serve --port 0`` (or another serving command) in ``repo``; yields its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "offload", *command, "--port", "0"],
                            cwd=repo.path, env=cli_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()  # printed once the socket listens
        assert base.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else ""
        yield base
    finally:
        stop_process(proc)  # type: ignore[arg-type]
