"""check --range, the installed hooks, and their manners (legacy, hooksPath, worktrees)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG, check_json, configured, guard, hook_env


def commit(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "commit", "-q", "-m", "change", *args], cwd=repo.path,
                          env={**os.environ, **hook_env()}, capture_output=True, text=True)


def test_range_finds_file_added_then_deleted(repo: GitRepo) -> None:
    base = repo.head()
    added = repo.commit_files({"tmp/render.png": PNG}, "add render")
    repo.git("rm", "-q", "tmp/render.png")
    repo.commit("remove render")
    repo.commit_files({"ok.txt": "fine\n"})
    assert repo.git("diff", "--name-only", f"{base}..HEAD").split() == ["ok.txt"]
    rc, report = check_json(repo.path, "--range", f"{base}..HEAD")
    assert rc == 1
    assert [(f["path"], f["commit"]) for f in report["findings"]] == [("tmp/render.png", added)]


def test_range_ignores_what_the_base_already_has(repo: GitRepo) -> None:
    repo.commit_files({"old.png": PNG})
    base = repo.head()
    repo.commit_files({"notes.md": "text\n"})
    assert check_json(repo.path, "--range", f"{base}..HEAD")[0] == 0


def test_install_uninstall_with_legacy_hook_and_worktree(repo: GitRepo, tmp_path: Path) -> None:
    hooks = repo.path / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    legacy_log = tmp_path / "legacy-ran"
    (hooks / "pre-commit").write_text(f"#!/bin/sh\necho ran >> '{legacy_log}'\n")
    (hooks / "pre-commit").chmod(0o755)
    result = run_offload("hook", "install", "--pre-push", cwd=repo.path)
    assert result.rc == 0, result.output
    assert (hooks / "pre-commit.legacy").exists() and (hooks / "pre-push").exists()
    wt = repo.worktree(tmp_path / "wt", "feature")
    wt.write("frame.png", PNG)
    wt.add("frame.png")
    blocked = commit(wt)
    assert blocked.returncode != 0 and "frame.png" in blocked.stdout + blocked.stderr
    assert legacy_log.read_text() == "ran\n"
    wt.write("notes.txt", "text\n")
    wt.git("rm", "-q", "--cached", "frame.png")
    wt.add("notes.txt")
    assert commit(wt).returncode == 0
    assert run_offload("hook", "uninstall", cwd=repo.path).rc == 0
    assert not (hooks / "pre-push").exists() and not (hooks / "pre-commit.legacy").exists()
    assert "legacy-ran" in (hooks / "pre-commit").read_text()


def test_hooks_path_elsewhere_is_refused_politely(repo: GitRepo) -> None:
    repo.git("config", "core.hooksPath", ".husky")
    result = run_offload("hook", "install", cwd=repo.path)
    assert result.rc == 5
    assert "core.hooksPath" in result.stderr and "next:" in result.stderr
    assert "Traceback" not in result.stderr


def test_hook_idle_without_config_and_during_merge(tmp_path: Path) -> None:
    plain = GitRepo(tmp_path / "plain")
    plain.write("a.png", PNG)
    plain.add("a.png")
    assert guard(plain.path, "pre-commit").returncode == 0
    repo = configured(GitRepo(tmp_path / "r"))
    repo.write("a.png", PNG)
    repo.add("a.png")
    assert guard(repo.path, "pre-commit").returncode == 1
    (repo.path / ".git" / "MERGE_HEAD").write_text(repo.head() + "\n")
    assert guard(repo.path, "pre-commit").returncode == 0
    (repo.path / ".git" / "MERGE_HEAD").unlink()
    (repo.path / ".git" / "rebase-merge").mkdir()
    assert guard(repo.path, "pre-commit").returncode == 0
    assert guard(tmp_path, "pre-commit").returncode == 0  # not a repository at all


@pytest.mark.parametrize("broken", ["artifacts:\n  include: [\"*.png\"\n  max_bytes: 1\n",
                                    "artifacts:\n  max_bytes: lots\n",
                                    "\tartifacts: {}\n"])
def test_broken_config_fails_closed_with_the_fix(repo: GitRepo, broken: str) -> None:
    repo.write("offload.yaml", broken)
    repo.write("notes.txt", "text\n")
    repo.add("notes.txt")
    proc = guard(repo.path, "pre-commit")
    assert proc.returncode == 3, proc.stderr
    assert "offload.yaml" in proc.stderr and "next:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_verify_bypass_caught_by_pre_push(repo: GitRepo, tmp_path: Path) -> None:
    remote = GitRepo(tmp_path / "remote.git", bare=True)
    repo.git("remote", "add", "origin", str(remote.path))
    repo.git("push", "-q", "origin", "main")
    assert run_offload("hook", "install", "--pre-push", cwd=repo.path).rc == 0
    repo.write("sneaky.png", PNG)
    repo.add("sneaky.png")
    assert commit(repo, "--no-verify").returncode == 0
    push = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo.path,
                          env={**os.environ, **hook_env()}, capture_output=True, text=True)
    assert push.returncode != 0
    assert "sneaky.png" in push.stdout + push.stderr
    assert remote.git("rev-parse", "main").strip() != repo.head()
