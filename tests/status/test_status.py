"""offload status through the real CLI: each kind of finding appears, and goes once fixed."""

from __future__ import annotations

from offload import __version__
from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG


def status_json(repo: GitRepo) -> dict[str, object]:
    result = run_offload("status", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    payload: dict[str, object] = result.json()
    assert payload["kind"] == "status" and payload["version"] == __version__
    return payload


def test_clean_repository(repo: GitRepo) -> None:
    result = run_offload("status", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "nothing to offload" in result.stdout


def test_unrecorded_changed_not_pulled_and_lock(repo: GitRepo) -> None:
    repo.commit_files({"art/committed.jpg": PNG, "notes.md": "# notes\n"}, "art")
    repo.write("outputs/new.png", PNG + b"new")
    repo.write("outputs/raw.bin", b"\0\1\2binary")
    repo.write("ignored/skip.png", PNG)
    repo.write(".gitignore", "ignored/\n")
    found = status_json(repo)
    unrecorded = {u["path"]: u for u in found["unrecorded"]}  # type: ignore[attr-defined]
    assert set(unrecorded) == {"art/committed.jpg", "outputs/new.png", "outputs/raw.bin"}
    assert unrecorded["art/committed.jpg"]["tracked"] is True
    assert unrecorded["outputs/raw.bin"]["reason"] == "binary content (NUL byte)"
    text = run_offload("status", cwd=repo.path).stdout
    assert "Artifacts neither ignored nor recorded" in text and "`offload put PATH… --untrack`" in text

    put = run_offload("put", "outputs", "art", "--untrack", cwd=repo.path)
    assert put.rc == 0, put.output
    found = status_json(repo)
    assert found["unrecorded"] == [] and found["lock"] == "untracked"
    assert "offload.lock is not committed yet" in run_offload("status", cwd=repo.path).stdout
    repo.add("offload.lock", ".gitignore")
    repo.commit("offload assets")
    assert status_json(repo)["clean"] is True

    repo.write("outputs/new.png", PNG + b"edited")
    (repo.path / "outputs/raw.bin").unlink()
    found = status_json(repo)
    assert found["changed"] == ["outputs/new.png"]
    assert found["not_pulled"] == ["outputs/raw.bin"]
    text = run_offload("status", cwd=repo.path).stdout
    assert "Changed since recorded:" in text and "Recorded but not pulled:" in text

    assert run_offload("put", "outputs/new.png", cwd=repo.path).rc == 0
    assert run_offload("pull", cwd=repo.path).rc == 0
    found = status_json(repo)
    assert found["changed"] == found["not_pulled"] == [] and found["lock"] == "modified"
    assert "offload.lock has changes not staged" in run_offload("status", cwd=repo.path).stdout


def test_store_flag_names_objects_the_store_lacks(repo: GitRepo) -> None:
    repo.write("shots/a.png", PNG)
    repo.write("shots/b.png", PNG + b"b")
    put = run_offload("put", "shots", "--json", cwd=repo.path)
    assert put.rc == 0, put.output
    store = repo.path / ".git" / "offload" / "store"
    gone = next(e for e in put.json()["items"] if e["path"] == "shots/b.png")
    (store / gone["key"]).unlink()
    assert status_json(repo)["missing_from_store"] is None  # not asked: no network by default
    asked = run_offload("status", "--store", "--json", cwd=repo.path)
    assert asked.rc == 0 and asked.json()["missing_from_store"] == ["shots/b.png"], asked.output
    text = run_offload("status", "--store", cwd=repo.path).stdout
    assert "Recorded but missing from the store:\n" in text and "\tshots/b.png" in text
