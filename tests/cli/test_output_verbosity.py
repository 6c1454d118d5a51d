"""-q prints only errors (and the JSON with --json); -v adds a line per file."""

from __future__ import annotations

from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo


def test_quiet_prints_nothing_but_errors(repo: GitRepo, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    for args in (("migrate", "plan", "-o", plan), ("migrate", "run", plan, "--dry-run", "--force")):
        result = run_offload("-q", *args, cwd=repo.path)
        assert result.rc == 0 and result.output == "", (args, result.output)
    repo.write("offload.yaml", 'watch:\n  paths: ["outputs/"]\n  settle_ms: 50\n')
    repo.write("shots/a.png", b"frame")
    repo.write("outputs/o.png", b"output")
    repo.write("staged.png", b"staged")
    repo.add("staged.png")
    for args in (("put", "shots"), ("get", "shots/a.png", "-o", "out"), ("pull",),
                 ("watch", "--once"), ("fix",)):
        result = run_offload("-q", *args, cwd=repo.path, timeout=60)
        assert result.rc == 0 and result.output == "", (args, result.output)

    as_json = run_offload("-q", "put", "shots", "--json", cwd=repo.path)
    assert as_json.rc == 0 and as_json.stderr == "" and as_json.json()["kind"] == "put"
    failed = run_offload("-q", "put", "missing.png", cwd=repo.path)
    assert failed.rc == 2 and failed.stdout == ""
    assert failed.stderr.startswith("error: missing.png does not exist")


def test_verbose_says_what_happened_to_each_file(repo: GitRepo) -> None:
    repo.write("shots/a.png", b"a")
    assert run_offload("put", "shots/a.png", cwd=repo.path).rc == 0
    repo.write("shots/b.png", b"b")
    result = run_offload("-v", "put", "shots", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "already stored shots/a.png" in result.stderr
    assert "uploaded shots/b.png -> file://" in result.stderr
    (repo.path / "shots" / "b.png").unlink()
    pulled = run_offload("--verbose", "pull", cwd=repo.path)
    assert pulled.rc == 0 and "fetched shots/b.png" in pulled.stderr, pulled.output


def test_quiet_and_verbose_together_are_refused(repo: GitRepo) -> None:
    result = run_offload("-q", "-v", "ls", cwd=repo.path)
    assert result.rc == 2 and "exclude each other" in result.stderr
