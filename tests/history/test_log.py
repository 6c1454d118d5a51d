"""`offload log PATH`: every version of an asset across history, from one walk."""

from __future__ import annotations

import hashlib
import json

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo

HERO = "art/hero.png"


def png(tag: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + tag.encode() * 40


def put_and_commit(repo: GitRepo, tag: str, day: int, message: str) -> str:
    repo.write(HERO, png(tag))
    result = run_offload("put", HERO, cwd=repo.path)
    assert result.rc == 0, result.output
    repo.add("offload.lock")
    return commit_on(repo, day, message)


def commit_on(repo: GitRepo, day: int, message: str) -> str:
    date = f"2026-01-{day:02d}T12:00:00+00:00"
    repo.git("commit", "-q", "-m", message,
             env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    return repo.head()


def test_five_versions_across_a_merge_newest_first(repo: GitRepo) -> None:
    repo.write(".gitignore", "art/\n")
    repo.write("art/other.png", png("other"))
    assert run_offload("put", "art/other.png", cwd=repo.path).rc == 0
    repo.add(".gitignore", "offload.lock")
    commit_on(repo, 1, "other asset")
    v1 = put_and_commit(repo, "v1", 2, "hero v1")
    repo.git("checkout", "-q", "-b", "side")
    v2 = put_and_commit(repo, "v2", 3, "hero v2 on side")
    v3 = put_and_commit(repo, "v3", 4, "hero v3 on side")
    repo.git("checkout", "-q", "main")
    v4 = put_and_commit(repo, "v4", 5, "hero v4 on main")
    conflicted = run_git_allow_fail(repo, "merge", "-q", "--no-commit", "side")
    assert conflicted != 0  # both sides changed hero's line
    repo.git("checkout", "--ours", "offload.lock")
    v5 = put_and_commit(repo, "v5", 6, "merge side, hero v5")
    assert len(repo.git("rev-list", "--parents", "-n1", v5).split()) == 3

    result = run_offload("log", HERO, "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    data = result.json()
    assert data["path"] == HERO and data["count"] == 5
    got = [(v["commit"], v["sha256"]) for v in data["versions"]]
    expected = [(c, hashlib.sha256(png(t)).hexdigest())
                for c, t in ((v5, "v5"), (v4, "v4"), (v3, "v3"), (v2, "v2"), (v1, "v1"))]
    assert got == expected
    newest = data["versions"][0]
    assert newest["source"] == "put" and newest["size"] == len(png("v5"))
    assert newest["url"].startswith("file://") and newest["date"].startswith("2026-01-06")
    assert newest["author"] == "Offload Test <test@offload.invalid>"
    text = run_offload("log", HERO, cwd=repo.path)
    assert text.rc == 0 and text.stdout.count("sha256 ") == 5
    assert text.stdout.index(v5[:12]) < text.stdout.index(v1[:12])
    assert "5 version(s) of art/hero.png" in text.stdout


def test_provenance_summary_and_unknown_path(repo: GitRepo) -> None:
    line = {"path": "characters/mira/turnaround/v1.png", "size": 3, "sha256": "ab" * 32,
            "key": "characters/mira/turnaround/v1.abababababab.png", "url": None,
            "content_type": "image/png", "source": "generate",
            "meta": {"provider": "placeholder", "model": "m1", "prompt": "mira " * 40}}
    repo.commit_files({"offload.lock": json.dumps(line) + "\n"}, "generated")
    shown = run_offload("log", "characters/mira/turnaround/v1.png", cwd=repo.path)
    assert shown.rc == 0, shown.output
    assert 'provider placeholder, model m1, prompt "mira mira' in shown.stdout
    assert "…" in shown.stdout
    missing = run_offload("log", "nothing/here.png", cwd=repo.path)
    assert missing.rc == ExitCode.USAGE
    assert "no version" in missing.stderr and "next:" in missing.stderr


def run_git_allow_fail(repo: GitRepo, *args: str) -> int:
    import subprocess

    return subprocess.run(["git", *args], cwd=repo.path, capture_output=True,
                          check=False).returncode
