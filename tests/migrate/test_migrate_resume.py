"""A run killed (SIGKILL) at chosen points (during upload, half-way through the history
rewrite, before the ref update) finishes on rerun with the same commit ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.repos import GitRepo

from .conftest import Production
from .helpers import PLAN, offload, refs, store_files


@pytest.fixture
def reference(production: Production, tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    clean = production.origin.clone(tmp_path / "clean", skip_smudge=True)
    assert offload(clean, env, "migrate", "plan").rc == 0
    assert offload(clean, env, "migrate", "run", PLAN).rc == 0
    return refs(clean)


@pytest.mark.parametrize("point", ["upload", "rewrite", "before-ref-update"])
def test_rerun_after_kill(point: str, production: Production, reference: dict[str, str],
                          tmp_path: Path) -> None:
    env = {"OFFLOAD_STORE": str(tmp_path / f"store-{point}"),
           "OFFLOAD_PUBLIC_URL": "https://cdn.example.test/prod"}
    clone: GitRepo = production.origin.clone(tmp_path / point, skip_smudge=True)
    assert offload(clone, env, "migrate", "plan").rc == 0
    killed = offload(clone, {**env, "OFFLOAD_TEST_CRASH": point}, "migrate", "run", PLAN,
                     "--jobs", "1")
    assert killed.rc == -9, killed.output
    rerun = offload(clone, env, "migrate", "run", PLAN, "--json")
    assert rerun.rc == 0, rerun.output
    assert rerun.json()["verification"]["ok"]
    assert refs(clone) == reference
    assert offload(clone, env, "migrate", "verify", PLAN).rc == 0
    assert clone.git("status", "--porcelain", "--untracked-files=no") == ""
    assert len(store_files(tmp_path / f"store-{point}")) == 6
