from pathlib import Path

import pytest

from offload.errors import ExitCode, GitStateError
from offload.git import GitError, find_repo, run_git
from testing.repos import GitRepo


def test_result_keeps_bytes_and_splits_z_output(repo: GitRepo) -> None:
    repo.commit_files({"a b.txt": "1", "ü.txt": "2"})
    result = run_git("ls-files", "-z", cwd=repo.path)
    assert result.rc == 0
    assert sorted(result.z_fields()) == sorted([b"a b.txt", "ü.txt".encode()])


def test_failure_is_a_readable_git_error(repo: GitRepo) -> None:
    with pytest.raises(GitError) as info:
        run_git("rev-parse", "--verify", "no-such-ref", cwd=repo.path)
    assert "git rev-parse --verify no-such-ref" in info.value.message
    assert info.value.exit_code == ExitCode.GIT_STATE and info.value.next_step
    unchecked = run_git("rev-parse", "--verify", "no-such-ref", cwd=repo.path, check=False)
    assert unchecked.rc != 0 and unchecked.stderr


def test_find_repo_from_a_worktree(repo: GitRepo, tmp_path: Path) -> None:
    wt = repo.worktree(tmp_path / "wt", "agent")
    paths = find_repo(wt.path)
    assert paths.toplevel == wt.path.resolve()
    assert paths.common_dir == (repo.path / ".git").resolve()
    assert paths.git_dir != paths.common_dir
    assert paths.main_worktree == repo.path.resolve()


def test_find_repo_outside_git(tmp_path: Path) -> None:
    with pytest.raises(GitStateError, match="not inside a git work tree"):
        find_repo(tmp_path)
