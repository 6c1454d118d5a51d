"""Fixtures shared by every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.repos import GitRepo

pytest_plugins = ["testing.fixtures", "testing.browser"]


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private HOME and git identity so no test sees or changes the user's settings."""
    home = tmp_path_factory.mktemp("home")
    saved = dict(os.environ)
    os.environ.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Offload Test",
        "GIT_AUTHOR_EMAIL": "test@offload.invalid",
        "GIT_COMMITTER_NAME": "Offload Test",
        "GIT_COMMITTER_EMAIL": "test@offload.invalid",
        "GIT_TERMINAL_PROMPT": "0",
        "RCLONE_CONFIG": str(home / "rclone.conf"),
    })
    for name in ("OFFLOAD_STORE", "OFFLOAD_PUBLIC_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GEMINI_API_KEY"):
        os.environ.pop(name, None)
    (home / ".gitconfig").write_text(
        "[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n"
    )
    try:
        yield home
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """An empty repository with one initial commit."""
    r = GitRepo(tmp_path / "repo")
    r.commit("initial", allow_empty=True)
    return r
