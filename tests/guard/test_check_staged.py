"""offload check --staged: the staged blob counts, whatever the work tree or the name says."""

from __future__ import annotations

import os
from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import FAKE_SECRET, PNG, check_json, configured, found, guard


def test_clean_text_passes(repo: GitRepo) -> None:
    repo.write("notes.md", "# plain text\n")
    repo.add("notes.md")
    rc, report = check_json(repo.path, "--staged")
    assert (rc, report["findings"], report["ok"]) == (0, [], True)


def test_cli_lists_path_reason_size_then_fix(repo: GitRepo) -> None:
    repo.write("art/hero shot.png", PNG)
    repo.add("art/hero shot.png")
    result = run_offload("check", "--staged", cwd=repo.path)
    assert result.rc == 1
    row = next(line for line in result.stdout.splitlines() if "hero shot.png" in line)
    assert "matches *.png" in row and f"{len(PNG)} B" in row
    assert "offload fix" in result.stdout
    assert "offload put --untrack 'art/hero shot.png'" in result.stdout


def test_deleted_after_staging_still_counts(repo: GitRepo) -> None:
    repo.write("frame.png", PNG).unlink()
    repo.write("frame.png", PNG)
    repo.add("frame.png")
    (repo.path / "frame.png").unlink()
    assert found(check_json(repo.path)[1]) == {"frame.png": "include"}


def test_staged_then_modified_uses_staged_content(repo: GitRepo) -> None:
    repo.write("data.bin.txt", b"\x00binary")
    repo.add("data.bin.txt")
    repo.write("data.bin.txt", "now text\n")
    assert found(check_json(repo.path)[1]) == {"data.bin.txt": "binary"}
    repo.add("data.bin.txt")
    repo.write("data.bin.txt", b"\x00binary again")
    assert check_json(repo.path)[0] == 0


def test_odd_path_names(repo: GitRepo) -> None:
    names = ["with space.png", "new\nline.png", "café/ñandú.png"]
    for name in names:
        repo.write(name, PNG)
    repo.add(*names)
    assert set(found(check_json(repo.path)[1])) == set(names)


def test_renamed_binary_and_disguised_image(repo: GitRepo) -> None:
    repo.write("model.txt", b"glTF\x02\x00\x00\x00" + bytes(100))
    repo.write("storyboard.md", PNG)
    repo.add("model.txt", "storyboard.md")
    report = check_json(repo.path)[1]
    reasons = {f["path"]: f["reason"] for f in report["findings"]}
    assert reasons == {"model.txt": "binary glTF model", "storyboard.md": "PNG image"}


def test_empty_png_counts_by_name(repo: GitRepo) -> None:
    repo.write("placeholder.png", b"")
    repo.add("placeholder.png")
    report = check_json(repo.path)[1]
    assert [(f["path"], f["size"]) for f in report["findings"]] == [("placeholder.png", 0)]


def test_large_file_and_lfs_pointer(repo: GitRepo) -> None:
    repo.write("big.csv", "x," * 4000)
    pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64
               + "\nsize 123456\n")
    repo.write("shot.png", pointer)
    repo.add("big.csv", "shot.png")
    report = check_json(repo.path)[1]
    assert found(report) == {"big.csv": "size", "shot.png": "lfs-pointer"}
    assert "offload replaces LFS" in str(report)


def test_modified_file_counts(repo: GitRepo) -> None:
    repo.write("doc.txt", "text\n")
    repo.add("doc.txt")
    repo.commit("text")
    repo.write("doc.txt", b"\x00now binary")
    repo.add("doc.txt")
    assert found(check_json(repo.path)[1]) == {"doc.txt": "binary"}


def test_allow_list(repo: GitRepo) -> None:
    configured(repo, 'artifacts:\n  allow: ["docs/*.png", "logo.png"]\n')
    repo.write("docs/diagram.png", PNG)
    repo.write("logo.png", PNG)
    repo.write("frames/f1.png", PNG)
    repo.add("docs", "logo.png", "frames")
    assert found(check_json(repo.path)[1]) == {"frames/f1.png": "include"}


def test_credentials_name_file_and_line_never_the_secret(repo: GitRepo) -> None:
    repo.write(".env", f"DEBUG=1\nAWS_SECRET_ACCESS_KEY={FAKE_SECRET}\n")
    repo.write("rclone.conf", "[r2]\ntype = s3\naccess_key_id = abc\n"
                              "secret_access_key = 9f8e7d6c5b4a39281706f5e4d3c2b1a0\n")
    repo.write("run.sh", "export GEMINI_API_KEY=AIzaSyD-realistic-looking-key-123\n")
    repo.write("notes.txt", f"creds: AKIAIOSFODNN7ABCDEFG {FAKE_SECRET}\n")
    repo.write("example.conf", "secret_access_key = <your secret key>\nGEMINI_API_KEY=\n")
    repo.add(".env", "rclone.conf", "run.sh", "notes.txt", "example.conf")
    result = run_offload("check", "--staged", cwd=repo.path)
    assert result.rc == 1
    for where in (".env:2", "rclone.conf:4", "run.sh:1", "notes.txt:1"):
        assert where in result.stdout
    assert "example.conf" not in result.stdout
    for secret in (FAKE_SECRET, "9f8e7d6c5b4a", "AIzaSyD"):
        assert secret not in result.output


def test_submodule_and_symlink_are_not_artifacts(repo: GitRepo, tmp_path: Path) -> None:
    sub = GitRepo(tmp_path / "sub")
    sub.commit_files({"a.png": PNG})
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.path), "vendor")
    repo.write("real.png", PNG)
    repo.add("real.png")
    repo.commit("real image")
    os.symlink("real.png", repo.path / "alias.png")
    repo.add("alias.png")
    rc, report = check_json(repo.path)
    assert (rc, report["findings"]) == (0, [])


def test_initial_commit_without_head(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "fresh")
    repo.write("offload.yaml", "artifacts:\n  max_bytes: 100\n")
    repo.write("a.png", PNG)
    repo.add()
    assert found(check_json(repo.path)[1]) == {"a.png": "include"}


def test_thousands_of_files_one_process_per_kind(repo: GitRepo, tmp_path: Path) -> None:
    for i in range(3000):
        repo.write(f"many/{i:04}.txt", f"file {i}\n")
    repo.write("many/0500.png", PNG)
    repo.add("many")
    log = tmp_path / "trace"
    proc = guard(repo.path, "check", "--json", env={"GIT_TRACE": str(log)})
    assert proc.returncode == 1 and '"many/0500.png"' in proc.stdout
    commands = [line.split("trace: built-in: ", 1)[1].split()[1]
                for line in log.read_text().splitlines() if "trace: built-in: " in line]
    assert sorted(commands) == ["cat-file", "diff"]


def test_check_all_checks_head_tree(repo: GitRepo) -> None:
    repo.commit_files({"old.png": PNG, "ok.txt": "fine\n"})
    assert found(check_json(repo.path, "--all")[1]) == {"old.png": "include"}
