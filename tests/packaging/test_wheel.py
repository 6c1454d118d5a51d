"""The built wheel works outside the source tree, and pulls only what src/ imports."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.cli import SRC
from testing.repos import GitRepo, lfs_available
from tests.guard.helpers import PNG

CHECKOUT = SRC.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then a wheel built from that sdist (so the sdist is proven complete)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                    str(CHECKOUT)], check=True, capture_output=True, timeout=300)
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("offload-*.whl")
    return wheel


@pytest.fixture(scope="module")
def fresh_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtual environment outside the checkout with only the wheel installed."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", str(_wheel(dist))],
                   check=True, capture_output=True, timeout=600)
    yield venv


def _env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=_env(venv), capture_output=True, text=True,
                          timeout=300)


def test_wheel_holds_recipes_hooks_and_man_page(dist: Path) -> None:
    names = set(zipfile.ZipFile(_wheel(dist)).namelist())
    assert "offload/migrations/lfs-to-store.yaml" in names
    assert {"offload/hooks/pre-commit", "offload/hooks/pre-push"} <= names
    assert any(n.endswith(".data/data/share/man/man1/git-offload.1") for n in names)
    assert not any(n.startswith(("tests/", "testing/", "bench/")) for n in names)
    (sdist,) = dist.glob("offload-*.tar.gz")
    assert sdist.stat().st_size > 0


def _requires(dist: Path) -> tuple[set[str], set[str]]:
    """(base requirements, requirements of the optional extras) from the wheel's METADATA."""
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(meta).decode()
    base, extra = set(), set()
    for line in text.splitlines():
        if line.startswith("Requires-Dist:"):
            name = _canonical(re.split(r"[ ;=<>!\[]", line.split(":", 1)[1].strip())[0])
            (extra if "extra ==" in line else base).add(name)
    return base, extra


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_distributions() -> set[str]:
    """Distributions whose modules some file under src/ imports (at any depth, lazily or not)."""
    modules: set[str] = set()
    for path in (SRC / "offload").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    owners = importlib.metadata.packages_distributions()
    found: set[str] = set()
    for module in modules:
        top = module.split(".")[0]
        if top in sys.stdlib_module_names or top == "offload":
            continue
        assert top in owners, f"src/ imports {module}, which no installed distribution provides"
        found.update(_canonical(d) for d in _providers(module, owners[top]))
    return found


def _providers(module: str, candidates: list[str]) -> list[str]:
    """Of the distributions sharing a (namespace) top-level package, those holding the module."""
    if len(candidates) == 1:
        return candidates
    parts = module.split(".")
    for depth in range(len(parts), 1, -1):
        prefix = "/".join(parts[:depth])
        holders = [d for d in candidates
                   if any(str(f).startswith(prefix) for f in importlib.metadata.files(d) or ())]
        if holders:
            return holders
    return candidates


def test_wheel_requires_exactly_what_src_imports(dist: Path) -> None:
    base, extra = _requires(dist)
    imported = _imported_distributions()
    # google-genai is the optional `gemini` extra; everything else src/ imports is required.
    assert imported - base <= extra, f"imported but not required: {imported - base - extra}"
    assert base <= imported, f"required but never imported: {base - imported}"


def test_entry_points_start_from_a_clean_venv(fresh_venv: Path, tmp_path: Path) -> None:
    from offload import __version__

    for command in (["offload", "--version"], ["git-offload", "--version"],
                    [str(fresh_venv / "bin" / "python"), "-m", "offload", "--version"]):
        done = _run(fresh_venv, tmp_path, *command)
        assert done.returncode == 0, done.stderr
        assert __version__ in done.stdout
    imported_from = _run(fresh_venv, tmp_path, "python", "-c",
                         "import offload; print(offload.__file__)").stdout
    assert str(fresh_venv) in imported_from and str(CHECKOUT) not in imported_from


def test_installed_wheel_runs_the_everyday_flow(fresh_venv: Path, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "film")
    repo.commit("initial", allow_empty=True)
    assert _run(fresh_venv, repo.path, "offload", "init").returncode == 0
    repo.write("frames/f1.png", PNG)
    put = _run(fresh_venv, repo.path, "offload", "put", "frames/f1.png", "--json")
    assert put.returncode == 0, put.stderr
    assert _run(fresh_venv, repo.path, "offload", "verify").returncode == 0
    assert _run(fresh_venv, repo.path, "offload", "hook", "install").returncode == 0
    hook = (repo.path / ".git" / "hooks" / "pre-commit").read_text()
    assert str(fresh_venv) in hook  # the hook runs the interpreter offload was installed into
    repo.write("frames/f2.png", PNG + b"2")
    repo.git("add", "-f", "frames/f2.png")
    check = _run(fresh_venv, repo.path, "offload", "check", "--staged")
    assert check.returncode == 1 and "frames/f2.png" in check.stdout + check.stderr
    blocked = _run(fresh_venv, repo.path, "git", "commit", "-m", "an image")
    assert blocked.returncode != 0 and "frames/f2.png" in blocked.stdout + blocked.stderr


@pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")
def test_installed_wheel_runs_the_demo(fresh_venv: Path, tmp_path: Path) -> None:
    demo = _run(fresh_venv, tmp_path, "offload", "demo", "demo-repo", "--json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["verified"] is True
