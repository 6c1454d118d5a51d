"""`offload migrate verify` fails (exit 1, naming the next step) when the result is broken."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from testing.cli import CliResult
from testing.repos import GitRepo

from .conftest import PUBLIC, Production
from .helpers import PLAN, hero_url, offload, show

POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize {}\n"


@pytest.fixture
def migrated(clone: GitRepo, env: dict[str, str]) -> GitRepo:
    assert offload(clone, env, "migrate", "plan").rc == 0
    run = offload(clone, env, "migrate", "run", PLAN)
    assert run.rc == 0, run.output
    assert offload(clone, env, "migrate", "verify", PLAN).rc == 0
    return clone


def failed(repo: GitRepo, env: dict[str, str], *extra: str) -> CliResult:
    result = offload(repo, env, "migrate", "verify", PLAN, *extra)
    assert result.rc == 1, result.output
    assert f"offload migrate rollback {PLAN}" in result.output
    return result


def hero_key() -> str:
    return hero_url("hero-v3").removeprefix(PUBLIC + "/")


def test_object_deleted_from_store(migrated: GitRepo, env: dict[str, str]) -> None:
    (Path(env["OFFLOAD_STORE"]) / hero_key()).unlink()
    result = failed(migrated, env)
    assert f"{hero_key()} is not in the store" in result.output
    assert "upload them again" in result.output


def test_object_replaced_with_other_bytes(migrated: GitRepo, env: dict[str, str]) -> None:
    store = Path(env["OFFLOAD_STORE"])
    obj = store / hero_key()
    other = bytes(b ^ 0xFF for b in obj.read_bytes())  # same size, different content
    obj.write_bytes(other)
    # Behind the store's back: size and metadata still agree, only hashing the content tells.
    assert offload(migrated, env, "migrate", "verify", PLAN).rc == 0
    deep = failed(migrated, env, "--deep")
    assert f"{hero_key()} in the store: content sha256 differs" in deep.output
    # Replaced with its metadata: the sha256 recorded by the store no longer matches.
    meta = next(store.rglob(f"{Path(hero_key()).name}.json"))
    record = json.loads(meta.read_text(encoding="utf-8"))
    record["sha256"] = hashlib.sha256(other).hexdigest()
    meta.write_text(json.dumps(record), encoding="utf-8")
    shallow = failed(migrated, env)
    assert f"{hero_key()} in the store differs from offload.lock" in shallow.output


def test_pointer_back_on_a_migrated_branch(migrated: GitRepo, env: dict[str, str]) -> None:
    pointer = POINTER.format("ab" * 32, 123)
    migrated.git("checkout", "-q", "main")
    new = migrated.commit_files({"extra/other.bin": pointer}, "a pointer again")
    result = failed(migrated, env)
    assert f"{new[:12]}: extra/other.bin is an LFS pointer" in result.output
    assert "drop or fix the commits listed" in result.output


def test_crafted_commit_with_migrated_path(production: Production, migrated: GitRepo,
                                           env: dict[str, str], tmp_path: Path) -> None:
    # The original hero pointer blob, at its own path, in a commit made with commit-tree.
    blob = migrated.git("rev-parse", f"{production.commits['v1']}:chars/hero.png").strip()
    plain = migrated.git("hash-object", "-w", "--stdin", input=b"not an image\n").strip()
    head = migrated.git("rev-parse", "refs/heads/feature").strip()
    index = {"GIT_INDEX_FILE": str(tmp_path / "index")}
    migrated.git("read-tree", head, env=index)
    migrated.git("update-index", "--add", "--cacheinfo", f"100644,{blob},chars/hero.png",
                 "--cacheinfo", f"100644,{plain},scenes/s1.jpg", env=index)
    tree = migrated.git("write-tree", env=index).strip()
    crafted = migrated.git("commit-tree", tree, "-p", head, "-m", "crafted").strip()
    migrated.git("update-ref", "refs/heads/feature", crafted)
    result = failed(migrated, env)
    assert f"{crafted[:12]}: chars/hero.png still holds a migrated blob" in result.output
    assert f"{crafted[:12]}: scenes/s1.jpg is a migrated path, back in the tree" in result.output


def test_document_links_another_commits_version(migrated: GitRepo,
                                                env: dict[str, str]) -> None:
    migrated.git("checkout", "-q", "main")
    story = show(migrated, "HEAD", "docs/story.md")
    assert hero_url("hero-v3") in story
    new = migrated.commit_files({"docs/story.md": story.replace(hero_url("hero-v3"),
                                                                hero_url("hero-v1"))}, "old url")
    result = failed(migrated, env)
    assert f"{new[:12]}: docs/story.md links {hero_url('hero-v1')}, not this commit's version" \
        in result.output


def test_verify_reuses_the_runs_own_check_and_full_walks_again(migrated: GitRepo,
                                                                env: dict[str, str]) -> None:
    rewritten = json.loads(offload(migrated, env, "migrate", "run", PLAN, "--json").stdout)
    reused = json.loads(offload(migrated, env, "migrate", "verify", PLAN, "--json").stdout)
    assert reused["ok"] and reused["reused_run_check"]
    assert reused["commits_checked"] == 0  # the run checked each commit as it wrote it
    full = json.loads(offload(migrated, env, "migrate", "verify", PLAN, "--full",
                              "--json").stdout)
    assert full["ok"] and not full["reused_run_check"]
    assert full["commits_checked"] == rewritten["commits_rewritten"] > 0
    migrated.git("checkout", "-q", "main")
    migrated.commit_files({"notes.txt": "later\n"}, "a commit after the run")
    later = json.loads(offload(migrated, env, "migrate", "verify", PLAN, "--json").stdout)
    assert later["ok"] and later["commits_checked"] == 1


def test_a_plan_claiming_a_passed_check_does_not_hide_a_broken_commit_from_full(
        migrated: GitRepo, env: dict[str, str]) -> None:
    # A bad commit the run did not make, but slipped under a ref the plan says the run wrote.
    pointer = POINTER.format("cd" * 32, 7)
    migrated.git("checkout", "-q", "main")
    bad = migrated.commit_files({"extra/again.bin": pointer}, "pointer")
    plan_file = migrated.path / PLAN
    text = plan_file.read_text(encoding="utf-8")
    old = migrated.git("rev-parse", "HEAD~1").strip()
    plan_file.write_text(text.replace(old, bad), encoding="utf-8")
    assert f"{bad[:12]}: extra/again.bin is an LFS pointer" not in offload(
        migrated, env, "migrate", "verify", PLAN).output
    result = failed(migrated, env, "--full")
    assert f"{bad[:12]}: extra/again.bin is an LFS pointer" in result.output


def test_a_plan_result_naming_an_option_for_a_commit_is_refused(migrated: GitRepo,
                                                                env: dict[str, str],
                                                                tmp_path: Path) -> None:
    plan_file = migrated.path / PLAN
    new = migrated.git("rev-parse", "refs/heads/main").strip()
    leak = tmp_path / "leak.txt"
    text = plan_file.read_text(encoding="utf-8")
    assert f"new: {new}" in text
    plan_file.write_text(text.replace(f"new: {new}", f"new: --output={leak}"), encoding="utf-8")
    result = offload(migrated, env, "migrate", "verify", PLAN)
    assert result.rc == 3, result.output
    assert "is not a commit id" in result.output and "Traceback" not in result.output
    assert not leak.exists()


def test_full_verify_parses_a_document_version_once_whatever_the_locks(
        migrated: GitRepo, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A large history checks each document version against thousands of locks: commits that
    change only the lock must not make verify parse the unchanged documents again."""
    import offload.migrate.references as references
    from offload.migrate import verify_migration
    from offload.workspace import Workspace

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    parsed: list[str] = []
    scan_text = references.scan_text

    def counting(doc_path: str, text: str) -> Any:
        parsed.append(doc_path)
        return scan_text(doc_path, text)

    monkeypatch.setattr(references, "scan_text", counting)

    def full_verify() -> list[str]:
        parsed.clear()
        result = verify_migration(Workspace.discover(migrated.path), migrated.path / PLAN,
                                  full=True)
        assert result["ok"], result
        return sorted(parsed)

    before = full_verify()
    assert "docs/story.md" in before
    lock = show(migrated, "HEAD", "offload.lock")
    first = json.loads(lock.splitlines()[0])
    for n in range(6):  # six commits that change the lock alone
        extra = {**first, "path": f"extra/{n}.png"}
        lock = "".join(sorted([*lock.splitlines(keepends=True), json.dumps(extra) + "\n"]))
        migrated.commit_files({"offload.lock": lock}, f"lock {n}")
    assert full_verify() == before
