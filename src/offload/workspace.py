"""A repository as offload sees it: paths, configuration, store backend and manifest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from offload.config.load import load_config
from offload.config.model import Config
from offload.errors import ConfigError, UsageError
from offload.git.repo import RepoPaths, find_repo
from offload.keys import public_url
from offload.manifest import Manifest
from offload.safepaths import path_problem, shown
from offload.store.base import Backend


@dataclass
class Workspace:
    repo: RepoPaths
    config: Config
    _backend: Backend | None = field(default=None, repr=False)

    @classmethod
    def discover(cls, cwd: Path | str | None = None) -> Workspace:
        repo = find_repo(cwd)
        return cls(repo=repo, config=load_config(repo))

    @property
    def root(self) -> Path:
        return self.repo.toplevel

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            from offload.store.factory import open_backend

            self._backend = open_backend(self.config, self.repo)
        return self._backend

    @property
    def manifest(self) -> Manifest:
        return Manifest(self.config.manifest_path, self.repo.offload_dir / "manifest.lock")

    def public_base(self) -> str | None:
        if self.config.public_url:
            return self.config.public_url
        return self.backend.default_public_base()

    def url_for(self, key: str) -> str | None:
        base = self.public_base()
        return public_url(base, key) if base else None

    def require_url(self, key: str) -> str:
        url = self.url_for(key)
        if url is None:
            raise ConfigError(
                f"no public URL is configured for {self.backend.description}",
                "set `public_url: https://…` in offload.yaml (or OFFLOAD_PUBLIC_URL), e.g. your "
                "R2 bucket's r2.dev or custom-domain address",
            )
        return url

    def repo_path(self, path: Path | str) -> str:
        """The posix path of ``path`` relative to the work tree root; refuse paths outside it."""
        if "\0" in str(path):
            raise UsageError(f"{shown(str(path))} contains a NUL byte", "check the path")
        absolute = Path(path)
        if not absolute.is_absolute():
            absolute = Path.cwd() / absolute
        absolute = Path(_normalise(absolute))
        root = Path(_normalise(self.root.resolve()))
        try:
            relative = absolute.relative_to(root)
        except ValueError:
            try:
                relative = absolute.resolve().relative_to(root)
            except ValueError as exc:
                raise UsageError(
                    f"{path} is outside the repository {self.root}",
                    "move or copy the file into the repository first, or run offload from the "
                    "repository it belongs to",
                ) from exc
        text = relative.as_posix()
        if text in ("", "."):
            raise UsageError(f"{path} is the repository root itself", "name files or folders")
        problem = path_problem(text)
        if problem:
            raise UsageError(f"{shown(text)} cannot be recorded by offload: {problem}",
                             "rename it to a plain name (no control characters, not in .git)")
        return text


def _normalise(path: Path) -> str:
    import os

    # Resolve symlinks of the parent only: a symlinked file keeps its own name.
    parent = os.path.realpath(path.parent)
    return os.path.join(parent, path.name)
