"""`offload rebase-urls` on the demo repository after its LFS migration: history and tip mode,
determinism, kill-and-rerun, rollback, and verify catching a URL left behind."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from offload.errors import ExitCode
from testing.cli import CliResult, run_offload
from testing.repos import GitRepo, lfs_available

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")

NEW = "https://assets.example.test/film"
PLAN = "migrations/0002-rebase-urls.yaml"
DATE = {"GIT_AUTHOR_DATE": "1767700000 +0000", "GIT_COMMITTER_DATE": "1767700000 +0000"}


@pytest.fixture(scope="module")
def demo_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rebase-demo")
    result = run_offload("demo", root / "demo", "--json", cwd=root)
    assert result.rc == 0, result.output
    return Path(result.json()["repository"])


def old_base(film: Path) -> str:
    return (film / ".git" / "offload" / "store").resolve().as_uri()


def copy_of(demo_film: Path, dest: Path) -> GitRepo:
    """A copy of the migrated film plus one commit: offload.yaml names the old base, and a
    report file mentions it (same dates in every copy, so the same commit ids)."""
    shutil.copytree(demo_film, dest, symlinks=True)
    repo = GitRepo(dest, init=False)
    old = old_base(demo_film)
    repo.write("offload.yaml", f"public_url: {old}  # the r2.dev address\n")
    repo.write("scripts/upload.py", f"BASE = '{old}/characters'\n")
    repo.add("offload.yaml", "scripts/upload.py")
    repo.git("commit", "-q", "-m", "configure the public base", env=DATE)
    return repo


def offload(repo: GitRepo, *args: str, env: dict[str, str] | None = None) -> CliResult:
    return run_offload(*args, cwd=repo.path, env=env)


def plan_and_run(repo: GitRepo, old: str, *run_args: str,
                 env: dict[str, str] | None = None) -> dict[str, Any]:
    planned = offload(repo, "rebase-urls", "plan", "--from", old, "--to", NEW)
    assert planned.rc == 0, planned.output
    assert "left alone  scripts/upload.py:1" in planned.stdout
    result = offload(repo, "rebase-urls", "run", PLAN, "--json", *run_args, env=env)
    assert result.rc == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def branch_refs(repo: GitRepo) -> dict[str, str]:
    out = repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads",
                   "refs/tags")
    return dict(line.split() for line in out.splitlines())


def mentions(repo: GitRepo, text: str, *revs: str) -> set[str]:
    """Files naming ``text`` in any commit of ``revs``."""
    commits = repo.git("rev-list", *revs).split()
    out = repo.git("grep", "-l", "-F", text, *commits, "--") if commits else ""
    return {line.split(":", 1)[1] for line in out.splitlines() if ":" in line}


def test_history_mode_rewrites_every_commit_deterministically(demo_film: Path,
                                                              tmp_path: Path) -> None:
    old = old_base(demo_film)
    first = copy_of(demo_film, tmp_path / "a")
    before = branch_refs(first)
    keys_before = [line.split('"key": ')[1].split(",")[0]
                   for line in first.git("show", "main:offload.lock").splitlines()]
    remote_before = first.git("ls-remote", "origin")
    result = plan_and_run(first, old, "--force")
    assert result["verification"]["ok"] and result["mode"] == "history"
    assert result["versions_rewritten"]["offload.lock"] > 1
    assert result["versions_rewritten"]["offload.yaml"] == 1
    assert result["push_commands"] == ["git push --force --all origin",
                                       "git push --force --tags origin"]
    assert first.git("ls-remote", "origin") == remote_before  # never pushes
    # only the report file still names the old base, in every commit of every branch and tag
    assert mentions(first, old, "--branches", "--tags") == {"scripts/upload.py"}
    assert "offload.lock" in mentions(first, NEW, "main~3")
    yaml_text = first.git("show", "main:offload.yaml")
    assert yaml_text == f"public_url: {NEW}  # the r2.dev address\n"
    keys_after = [line.split('"key": ')[1].split(",")[0]
                  for line in first.git("show", "main:offload.lock").splitlines()]
    assert keys_after == keys_before
    assert set(branch_refs(first)) == set(before)
    # a second copy, killed in the middle of the rewrite and run again: the same commits
    second = copy_of(demo_film, tmp_path / "b")
    offload(second, "rebase-urls", "plan", "--from", old, "--to", NEW)
    killed = offload(second, "rebase-urls", "run", PLAN, "--force",
                     env={"OFFLOAD_TEST_CRASH": "rebase"})
    assert killed.rc == -9, killed.output  # SIGKILL inside the rewrite
    assert branch_refs(second) == before  # refs untouched until the rewrite completes
    again = offload(second, "rebase-urls", "run", PLAN, "--json")
    assert again.rc == 0, again.output
    assert branch_refs(second) == branch_refs(first)
    # rollback restores every ref exactly
    back = offload(first, "rebase-urls", "rollback", PLAN)
    assert back.rc == 0, back.output
    assert branch_refs(first) == before
    assert "refs/offload/backup/0002-rebase-urls" not in first.git("for-each-ref")


def test_tip_mode_adds_one_commit(demo_film: Path, tmp_path: Path) -> None:
    old = old_base(demo_film)
    repo = copy_of(demo_film, tmp_path / "tip")
    head = repo.head()
    result = plan_and_run(repo, old, "--mode", "tip")
    assert result["verification"]["ok"] and result["tip"]["old"] == head
    assert repo.git("rev-parse", "HEAD~1").strip() == head
    assert mentions(repo, old, "-1", "HEAD") == {"scripts/upload.py"}
    assert "offload.lock" in mentions(repo, old, "-1", "HEAD~1")  # history untouched
    assert result["push_commands"] == ["git push origin main"]
    # the same plan in a copy killed before its commit, run again: the same commit
    other = copy_of(demo_film, tmp_path / "tip-killed")
    offload(other, "rebase-urls", "plan", "--from", old, "--to", NEW)
    killed = offload(other, "rebase-urls", "run", PLAN, "--mode", "tip",
                     env={"OFFLOAD_TEST_CRASH": "rebase-tip"})
    assert killed.rc == -9 and other.head() == head
    again = offload(other, "rebase-urls", "run", PLAN)
    assert again.rc == 0, again.output
    assert other.head() == result["tip"]["new"]
    wrong = offload(repo, "migrate", "run", PLAN)
    assert wrong.rc == ExitCode.USAGE and "not an offload migration plan" in wrong.stderr
    assert offload(repo, "rebase-urls", "rollback", PLAN).rc == 0
    assert repo.head() == head


def test_verify_catches_a_url_left_behind(demo_film: Path, tmp_path: Path) -> None:
    old = old_base(demo_film)
    repo = copy_of(demo_film, tmp_path / "v")
    plan_and_run(repo, old, "--force")
    assert offload(repo, "rebase-urls", "verify", PLAN).rc == 0
    repo.commit_files({"notes/later.md": f"![late]({old}/characters/mira/portrait.png)\n"},
                      "a note written from an old copy")
    failed = offload(repo, "rebase-urls", "verify", PLAN)
    assert failed.rc == ExitCode.FINDINGS, failed.output
    assert "notes/later.md" in failed.stdout and "next:" in failed.stderr


def test_copy_to_a_new_store_first(demo_film: Path, tmp_path: Path) -> None:
    old = old_base(demo_film)
    repo = copy_of(demo_film, tmp_path / "copy")
    new_store = tmp_path / "new-store"
    repo.git("rm", "-q", "--cached", "offload.yaml")  # a config kept out of git
    ignore = repo.path / ".gitignore"
    repo.write(".gitignore", (ignore.read_text() if ignore.exists() else "") + "offload.yaml\n")
    repo.add(".gitignore")
    repo.git("commit", "-q", "-m", "untrack offload.yaml")
    result = plan_and_run(repo, old, "--mode", "tip", "--copy-to", str(new_store))
    copied = result["copied"]
    assert copied["objects"] > 5 and copied["copied"] == copied["objects"]
    assert copied["store"] == f"local store {new_store}"
    assert result["untracked_config_updated"] == str(repo.path / "offload.yaml")
    assert (repo.path / "offload.yaml").read_text().startswith(f"public_url: {NEW}  #")
    checked = offload(repo, "verify", "--all", env={"OFFLOAD_STORE": str(new_store)})
    assert checked.rc == 0, checked.output
    assert f"checked {copied['objects']} object(s) by content" in checked.stdout
    assert "0 problem(s)" in checked.stdout


def test_a_lock_and_a_document_past_a_mebibyte_are_rebased(demo_film: Path,
                                                           tmp_path: Path) -> None:
    """A migrated production's lock has a line per asset in every commit: megabytes."""
    import json

    old = old_base(demo_film)
    repo = copy_of(demo_film, tmp_path / "big")
    first = json.loads(repo.git("show", "main:offload.lock").splitlines()[0])
    lines = []
    for n in range(6000):  # about 1.5 MiB
        entry = {**first, "path": f"frames/shot{n:05d}.png", "url": f"{old}/frames/{n:05d}.png"}
        lines.append(json.dumps(entry, ensure_ascii=False, separators=(", ", ": ")))
    lock = "\n".join(sorted(lines)) + "\n"
    doc = "".join(f"![shot {n}]({old}/frames/{n:05d}.png)\n" for n in range(24000))
    assert len(lock) > 1024 * 1024 and len(doc) > 1024 * 1024
    repo.write("offload.lock", lock)
    repo.write("storyboards/all.md", doc)
    repo.add("offload.lock", "storyboards/all.md")
    repo.git("commit", "-q", "-m", "a long production", env=DATE)
    result = plan_and_run(repo, old, "--force")
    assert result["verification"]["ok"], result["verification"]
    assert mentions(repo, old, "--branches", "--tags") == {"scripts/upload.py"}
    assert repo.git("show", "main:offload.lock") == lock.replace(old, NEW)
    assert repo.git("show", "main:storyboards/all.md") == doc.replace(old, NEW)


def test_a_lock_changed_by_a_line_costs_about_a_line(demo_film: Path, tmp_path: Path) -> None:
    """Commits that change the large lock and a document together: each rebased lock is stored
    as a delta of the one before it, not whole again (fast-import deltas against the last
    blob it was sent, so the rebase sends a path's versions one after another)."""
    import hashlib
    import json

    old = old_base(demo_film)
    repo = copy_of(demo_film, tmp_path / "long")
    first = json.loads(repo.git("show", "main:offload.lock").splitlines()[0])

    def line(n: int) -> str:
        sha = hashlib.sha256(str(n).encode()).hexdigest()  # as incompressible as real oids
        entry = {**first, "path": f"frames/shot{n:05d}.png", "sha256": sha,
                 "url": f"{old}/frames/{n:05d}.{sha[:12]}.png"}
        return json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))

    lines = [line(n) for n in range(2000)]
    for step in range(8):
        lines.append(line(2000 + step))
        repo.write("offload.lock", "\n".join(sorted(lines)) + "\n")
        repo.write("storyboards/notes.md", f"# take {step}\n\n![frame]({old}/frames/{step}.png)\n")
        repo.add("offload.lock", "storyboards/notes.md")
        repo.git("commit", "-q", "-m", f"take {step}", env=DATE)
    plan_and_run(repo, old, "--force")
    commits = repo.git("rev-list", "--max-count=8", "main").split()
    locks = "".join(f"{c}:offload.lock\n" for c in commits)
    sizes = repo.git("cat-file", "--batch-check=%(objectsize) %(objectsize:disk)",
                     input=locks.encode())
    rows = [tuple(map(int, row.split())) for row in sizes.splitlines()]
    assert len(rows) == 8 and all(size > 400_000 for size, _disk in rows)
    assert repo.git("show", "main:offload.lock").count(NEW) == 2008
    whole = [size for size, disk in rows if disk > size // 20]
    assert len(whole) <= 1, rows  # the first of the chain may be stored whole
