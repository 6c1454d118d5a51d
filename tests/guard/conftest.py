"""Guard tests run in a repository with a committed offload.yaml."""

import pytest

from testing.repos import GitRepo

from .helpers import configured


@pytest.fixture
def repo(repo: GitRepo) -> GitRepo:
    return configured(repo)
