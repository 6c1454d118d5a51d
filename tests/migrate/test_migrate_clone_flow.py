"""The documented flow on a real clone: clone → init → commit as told → plan → run, no --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.repos import GitRepo, LfsRepo, lfs_available

from .conftest import png
from .helpers import PLAN, offload, plan_data

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")


@pytest.fixture(scope="module")
def origin_with_gitignore(tmp_path_factory: pytest.TempPathFactory) -> LfsRepo:
    repo = LfsRepo(tmp_path_factory.mktemp("ignored") / "origin")
    repo.commit_files({".gitignore": "node_modules/\n", "art/a.png": png("a"),
                       "README.md": "![a](art/a.png)\n"}, "art")
    repo.push()
    return repo


def _clone(origin: LfsRepo, tmp_path: Path) -> GitRepo:
    return origin.clone(tmp_path / "clone", skip_smudge=True)


def test_init_then_commit_as_told_then_migrate(origin_with_gitignore: LfsRepo, tmp_path: Path,
                                               env: dict[str, str]) -> None:
    clone = _clone(origin_with_gitignore, tmp_path)
    init = offload(clone, env, "init")
    assert init.rc == 0, init.output
    assert clone.git("status", "--porcelain", "--untracked-files=no") == ""  # nothing tracked
    told = next(line for line in init.stdout.splitlines() if "git add" in line)
    assert "offload.yaml" in told and "git commit" in told
    clone.add("offload.yaml")
    clone.commit("offload configuration")
    assert offload(clone, env, "migrate", "plan").rc == 0
    run = offload(clone, env, "migrate", "run", PLAN)
    assert run.rc == 0, run.output
    assert plan_data(clone)["result"]["verification"]["ok"]
    assert clone.git("show", "HEAD:offload.yaml")  # the configuration commit is kept, rewritten
    assert "art/a.png" not in clone.git("ls-tree", "-r", "--name-only", "HEAD").split()


def test_init_then_migrate_without_committing(origin_with_gitignore: LfsRepo, tmp_path: Path,
                                              env: dict[str, str]) -> None:
    clone = _clone(origin_with_gitignore, tmp_path)
    assert offload(clone, env, "init").rc == 0
    assert offload(clone, env, "migrate", "plan").rc == 0
    run = offload(clone, env, "migrate", "run", PLAN)
    assert run.rc == 0, run.output


def test_other_local_commits_still_refused(origin_with_gitignore: LfsRepo, tmp_path: Path,
                                          env: dict[str, str]) -> None:
    clone = _clone(origin_with_gitignore, tmp_path)
    assert offload(clone, env, "init").rc == 0
    clone.add("offload.yaml")
    clone.write(".gitignore", "node_modules/\n*.log\n")
    clone.add(".gitignore")
    clone.commit("configuration and ignore rules")  # still only offload's files: accepted
    clone.commit_files({"notes.md": "local work\n"}, "work that exists only here")
    assert offload(clone, env, "migrate", "plan").rc == 0
    refused = offload(clone, env, "migrate", "run", PLAN)
    assert refused.rc == 5 and "reflog" in refused.stderr


def test_reference_commit_counts_are_commits_not_occurrences(tmp_path: Path,
                                                             env: dict[str, str]) -> None:
    repo = LfsRepo(tmp_path / "counts")
    repo.commit_files({"art/a.png": png("a"),
                       "doc.md": "![a](art/a.png)\n\n![again](art/a.png) ![x](gone.png)\n"
                                 "![x2](gone.png)\n"}, "doc")
    repo.commit_files({"other.md": "text\n"}, "two")
    repo.commit_files({"other.md": "more text\n"}, "three")
    assert offload(repo, env, "migrate", "plan").rc == 0
    refs = plan_data(repo)["references"]
    assert {r["commits"] for r in refs["rewrite"] if r["target"] == "art/a.png"} == {3}
    assert [r["commits"] for r in refs["dangling"] if r["target"] == "gone.png"] == [3]


def test_plan_counts_the_signatures_a_rewrite_drops(tmp_path: Path,
                                                    env: dict[str, str]) -> None:
    import subprocess

    key = tmp_path / "signing"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    repo = LfsRepo(tmp_path / "signed")
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", f"{key}.pub")
    repo.write("art/a.png", png("a"))
    repo.add("art/a.png")
    repo.git("commit", "-q", "-S", "-m", "signed art")
    repo.commit_files({"art/b.png": png("b")}, "unsigned art")
    repo.git("commit", "-q", "-S", "--allow-empty", "-m", "signed again")
    repo.git("tag", "-s", "-m", "signed release", "v1")
    repo.git("tag", "-a", "-m", "plain release", "v0", "HEAD~1")
    plan = offload(repo, env, "migrate", "plan")
    assert plan.rc == 0, plan.output
    assert "signatures lost" in plan.stdout
    assert plan_data(repo)["summary"]["signatures_dropped"] == {"commits": 2, "tags": 1}
    run = offload(repo, env, "migrate", "run", PLAN, "--force")
    assert run.rc == 0, run.output
    assert "gpgsig" not in repo.git("cat-file", "commit", "HEAD")
    tag = repo.git("cat-file", "tag", "v1")
    assert "SIGNATURE" not in tag and "signed release" in tag  # message kept, signature gone


def test_documents_that_cannot_hold_a_reference_are_not_parsed(tmp_path: Path,
                                                               env: dict[str, str]) -> None:
    repo = LfsRepo(tmp_path / "lockfiles")
    repo.commit_files({"art/a.png": png("a"), "README.md": "![a](art/a.png)\n"}, "art")
    for n in range(12):
        lock = '{"packages": {' + ", ".join(f'"dep{i}": "{n}.{i}.0"' for i in range(200)) + "}}"
        repo.commit_files({"package-lock.json": lock + "\n"}, f"deps {n}")
    repo.commit_files({"README.md": "![a](art/a.png) again\n", "notes.md": "no images\n"}, "doc")
    plan = offload(repo, env, "migrate", "plan", "--json")
    assert plan.rc == 0, plan.output
    summary = plan.json()["summary"]
    # Two README versions are read; 12 lock file versions and notes.md are not even parsed.
    assert summary["document_versions"] == {"parsed": 2, "skipped": 13}
    assert summary["references"] == 1  # one (document, target) row over both versions
    run = offload(repo, env, "migrate", "run", PLAN, "--force")
    assert run.rc == 0, run.output
    assert "art/a.png" not in repo.git("show", "HEAD:README.md")


def test_template_literals_naming_a_migrated_file_are_listed(tmp_path: Path,
                                                             env: dict[str, str]) -> None:
    repo = LfsRepo(tmp_path / "site")
    page = ('<img src="{{ \'img/logo-2x.png\' | relative_url }}">\n'
            '<img src="{{ "img/logo-2x.png" | relURL }}"> {% static "img/other.png" %}\n'
            '{{ "https://cdn.example/x.png" }} {{ page.title }}\n')
    repo.commit_files({"img/logo-2x.png": png("logo"), "docs/index.html": page}, "site")
    plan = offload(repo, env, "migrate", "plan", "--json")
    assert plan.rc == 0, plan.output
    listed = plan.json()["references"]["template"]
    # One row per (document, literal), at its first line; the URL and the unmigrated file are not.
    assert [(r["line"], r["target"], r["resolves_to"], r["commits"]) for r in listed] == [
        (1, "img/logo-2x.png", "img/logo-2x.png", 1)]
    assert plan.json()["summary"]["template_references"] == 1
    run = offload(repo, env, "migrate", "run", PLAN, "--force")
    assert run.rc == 0, run.output
    assert repo.git("show", "HEAD:docs/index.html") == page  # left alone, byte for byte


def test_nothing_left_alone_silently(tmp_path: Path, env: dict[str, str]) -> None:
    repo = LfsRepo(tmp_path / "silent")
    doc = ("Run `convert art/a.png out.jpg` first.\n\n```sh\nopen ../art/a.png\n```\n\n"
           "![gone](art/none.png) ![out](../../outside.png) ![a](art/a.png)\n")
    repo.commit_files({"art/a.png": png("a"), "README.md": doc}, "doc")
    plan = offload(repo, env, "migrate", "plan", "--json")
    assert plan.rc == 0, plan.output
    refs = plan.json()["references"]
    # every artifact-like name shown in code is listed (out.jpg matches *.jpg), none rewritten
    assert [(r["target"], r["reason"]) for r in refs["left_alone"]] == [
        ("art/a.png", "in code"), ("out.jpg", "in code"), ("../art/a.png", "in code")]
    assert {r["target"]: r["reason"] for r in refs["dangling"]} == {
        "art/none.png": "resolves to nothing", "../../outside.png": "escapes the repository"}
    assert [r["target"] for r in refs["rewrite"]] == ["art/a.png"]
    run = offload(repo, env, "migrate", "run", PLAN, "--force")
    assert run.rc == 0, run.output
    after = repo.git("show", "HEAD:README.md")
    assert "`convert art/a.png out.jpg`" in after and "open ../art/a.png" in after
    verify = offload(repo, env, "migrate", "verify", PLAN)
    assert verify.rc == 0, verify.output  # a mention in code is not a reference left behind


def test_run_verify_and_rollback_print_the_outcome_first(origin_with_gitignore: LfsRepo,
                                                         tmp_path: Path,
                                                         env: dict[str, str]) -> None:
    clone = _clone(origin_with_gitignore, tmp_path)
    assert offload(clone, env, "migrate", "plan").rc == 0
    dry = offload(clone, env, "migrate", "run", PLAN, "--dry-run")
    assert dry.stdout.startswith("dry run: nothing was changed"), dry.stdout
    run = offload(clone, env, "migrate", "run", PLAN)
    assert run.rc == 0, run.output
    lines = run.stdout.splitlines()
    assert lines[0] == "ok: verification passed"
    assert any(line.split() == ["commits", "rewritten", "2"] for line in lines), run.stdout
    assert "push (offload never pushes):" in lines and "git push --force" in run.stdout
    assert lines[-1].startswith("next: ")
    assert "item(s)" not in run.stdout and "New history written" not in run.output
    verify = offload(clone, env, "migrate", "verify", PLAN)
    assert verify.stdout.startswith("ok: verification passed"), verify.stdout
    back = offload(clone, env, "migrate", "rollback", PLAN)
    assert back.rc == 0 and back.stdout.startswith("rolled back"), back.output
