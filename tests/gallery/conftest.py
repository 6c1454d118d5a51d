"""A sample repository per test module (building it runs the CLI a dozen times)."""

from __future__ import annotations

import pytest

from testing.repos import GitRepo
from tests.gallery.sample import build_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    return build_sample(tmp_path_factory.mktemp("gallery") / "production")
