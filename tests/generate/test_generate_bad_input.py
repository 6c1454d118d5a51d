"""Every bad input ends with a clear error, a next step, and nothing recorded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import manifest_lines, turnaround, use_s3


def assert_refused(result_rc: int, stderr: str, *needles: str) -> None:
    assert result_rc != 0
    assert "Traceback" not in stderr
    assert "error:" in stderr and "next:" in stderr
    for needle in needles:
        assert needle in stderr


def test_reference_url_404(repo: GitRepo, web_dir: tuple[Path, str]) -> None:
    _, base = web_dir
    result = turnaround(repo, "--character", "mira", "--prompt", "p",
                        "--reference-url", f"{base}/missing.png")
    assert_refused(result.rc, result.stderr, "answered HTTP 404")
    assert manifest_lines(repo) == []


def test_reference_that_is_not_an_image(repo: GitRepo, web_dir: tuple[Path, str]) -> None:
    folder, base = web_dir
    (folder / "notes.png").write_text("<html>not really a png</html>")
    result = turnaround(repo, "--character", "mira", "--prompt", "p",
                        "--reference-url", f"{base}/notes.png")
    assert_refused(result.rc, result.stderr, "is not an image")
    assert manifest_lines(repo) == []


def test_missing_local_reference(repo: GitRepo) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--reference", "nope.png")
    assert_refused(result.rc, result.stderr, "nope.png is neither a recorded asset")


@pytest.mark.parametrize("name", ["../etc", "mira/v2", "a..b", "..", "", "-flag"])
def test_bad_character_names(repo: GitRepo, name: str) -> None:
    result = turnaround(repo, "--character", name, "--prompt", "p")
    assert_refused(result.rc, result.stderr, "is not allowed")
    assert result.rc == 2
    assert manifest_lines(repo) == []


def test_empty_prompt_file(repo: GitRepo, tmp_path: Path) -> None:
    empty = tmp_path / "prompt.txt"
    empty.write_text("  \n\n")
    result = turnaround(repo, "--character", "mira", "--prompt-file", str(empty))
    assert_refused(result.rc, result.stderr, "is empty")
    assert manifest_lines(repo) == []


def test_prompt_file_is_read(repo: GitRepo, tmp_path: Path) -> None:
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("a pilot in a flight jacket\n")
    result = turnaround(repo, "--character", "mira", "--prompt-file", str(prompt), "--json")
    assert result.rc == 0, result.output
    assert result.json()["meta"]["prompt"] == "a pilot in a flight jacket"


def test_existing_version_is_refused_never_overwritten(repo: GitRepo) -> None:
    first = turnaround(repo, "--character", "mira", "--prompt", "p", "--version", "2", "--json")
    assert first.rc == 0, first.output
    before = manifest_lines(repo)
    again = turnaround(repo, "--character", "mira", "--prompt", "other", "--version", "2",
                       "--seed", "9")
    assert_refused(again.rc, again.stderr, "v2.png already exists")
    assert manifest_lines(repo) == before
    url = first.json()["url"].removeprefix("file://")
    assert Path(url).stat().st_size == first.json()["size"]


def test_existing_version_refused_even_when_only_claimed_elsewhere(repo: GitRepo,
                                                                     tmp_path: Path) -> None:
    other = repo.worktree(tmp_path / "other", "other")
    assert turnaround(other, "--character", "mira", "--prompt", "p", "--version", "1").rc == 0
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--version", "1")
    assert_refused(result.rc, result.stderr, "version 1 is taken")


def test_local_store_unreachable_records_nothing(repo: GitRepo, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = turnaround(repo, "--character", "mira", "--prompt", "p",
                        env={"OFFLOAD_STORE": str(blocker / "store")})
    assert_refused(result.rc, result.stderr, "cannot create the local store")
    assert result.rc == 4
    assert manifest_lines(repo) == []


def test_s3_bucket_missing_records_nothing(repo: GitRepo, moto_s3: S3Server) -> None:
    env = use_s3(repo, moto_s3, "no-such-bucket")
    result = turnaround(repo, "--character", "mira", "--prompt", "p", env=env)
    assert_refused(result.rc, result.stderr, "does not exist")
    assert result.rc == 4
    assert manifest_lines(repo) == []
    assert moto_s3.secret_key not in result.output


def test_command_provider_exits_non_zero(repo: GitRepo) -> None:
    script = "import sys; print('model crashed', file=sys.stderr); sys.exit(3)"
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--provider", "command",
                        "--command", f"{sys.executable} -c \"{script}\" {{output}}")
    assert_refused(result.rc, result.stderr, "exited with status 3: model crashed")
    assert manifest_lines(repo) == []


def test_command_provider_writes_nothing(repo: GitRepo) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--provider", "command",
                        "--command", f"{sys.executable} -c pass {{output}}")
    assert_refused(result.rc, result.stderr, "wrote nothing")
    assert manifest_lines(repo) == []
    ok = turnaround(repo, "--character", "mira", "--prompt", "p", "--json")
    assert ok.json()["path"].endswith("/v1.png")  # the failed run gave its claim back


def test_fix_view_without_reference(repo: GitRepo) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "p", "--fix-view", "side")
    assert_refused(result.rc, result.stderr, "--fix-view needs the sheet to correct")
