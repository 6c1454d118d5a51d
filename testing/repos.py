"""Temporary git repositories and real git-lfs repositories with a file:// LFS remote."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path


def git(*args: str | os.PathLike[str], cwd: Path, env: Mapping[str, str] | None = None,
        input: bytes | None = None) -> str:
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(["git", *map(str, args)], cwd=cwd, env=full_env, input=input,
                          capture_output=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(
            f"git {' '.join(map(str, args))} failed in {cwd}: "
            f"{proc.stderr.decode(errors='replace')}"
        )
    return proc.stdout.decode("utf-8", "surrogateescape")


class GitRepo:
    """A scratch repository with small helpers to write, stage and commit files."""

    def __init__(self, path: Path, init: bool = True, bare: bool = False) -> None:
        self.path = path
        if init:
            path.mkdir(parents=True, exist_ok=True)
            git("init", "-q", "-b", "main", *(["--bare"] if bare else []), cwd=path)

    def git(self, *args: str | os.PathLike[str], env: Mapping[str, str] | None = None,
            input: bytes | None = None) -> str:
        return git(*args, cwd=self.path, env=env, input=input)

    def write(self, rel: str, content: bytes | str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        return target

    def add(self, *rels: str) -> None:
        self.git("add", "--", *(rels or (".",)))

    def commit(self, message: str = "change", *, allow_empty: bool = False) -> str:
        args = ["commit", "-q", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args)
        return self.head()

    def commit_files(self, files: Mapping[str, bytes | str], message: str = "change") -> str:
        for rel, content in files.items():
            self.write(rel, content)
        self.add(*files)
        return self.commit(message)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def worktree(self, path: Path, branch: str) -> GitRepo:
        self.git("worktree", "add", "-q", "-b", branch, str(path))
        return GitRepo(path, init=False)


def lfs_available() -> bool:
    return shutil.which("git-lfs") is not None


class LfsRepo(GitRepo):
    """A git-lfs repository whose LFS remote is a bare repository reached by file://."""

    def __init__(self, path: Path, patterns: tuple[str, ...] = ("*.png", "*.jpg")) -> None:
        super().__init__(path)
        self.remote = GitRepo(path.parent / f"{path.name}-remote.git", bare=True)
        self.git("lfs", "install", "--local")
        self.git("remote", "add", "origin", self.remote.path.as_uri())
        # No lfs.url: git-lfs uses the remote's own file:// URL (its standalone file transfer);
        # a file:// lfs.url ending in /info/lfs makes git-lfs 3.3 fail with "EOF".
        for pattern in patterns:
            self.git("lfs", "track", pattern)
        self.add(".gitattributes")
        self.commit("track artifacts with LFS")

    def push(self) -> None:
        self.git("push", "-q", "--all", "origin")
        self.git("push", "-q", "--tags", "origin")
        self.git("lfs", "push", "--all", "origin")

    def clone(self, dest: Path, skip_smudge: bool = False) -> GitRepo:
        env = {"GIT_LFS_SKIP_SMUDGE": "1"} if skip_smudge else None
        git("clone", "-q", self.remote.path.as_uri(), str(dest), cwd=self.path.parent, env=env)
        return GitRepo(dest, init=False)
