from pathlib import Path

import pytest

from offload.config import load_config
from offload.errors import ConfigError
from offload.git.repo import find_repo
from testing.repos import GitRepo


def test_defaults_without_a_file(repo: GitRepo) -> None:
    config = load_config(find_repo(repo.path))
    assert config.source is None
    assert config.store is None
    assert "*.png" in config.artifacts.include


def test_found_from_a_subfolder(repo: GitRepo) -> None:
    repo.write("offload.yaml", "store: s3://bucket/prefix\ns3: {endpoint_url: http://h:1}\n")
    sub = repo.path / "a" / "b"
    sub.mkdir(parents=True)
    config = load_config(find_repo(sub))
    assert config.store == "s3://bucket/prefix"
    assert config.s3.endpoint_url == "http://h:1"
    assert config.s3.region == "auto"


def test_found_from_a_linked_worktree_when_untracked(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("offload.yaml", "public_url: https://pub.example/prod\n")
    wt = repo.worktree(tmp_path / "wt", "agent-1")
    config = load_config(find_repo(wt.path))
    assert config.public_url == "https://pub.example/prod"
    assert config.root == wt.path.resolve()


def test_environment_overrides(repo: GitRepo) -> None:
    repo.write("offload.yaml", "store: ./here\n")
    config = load_config(find_repo(repo.path),
                         {"OFFLOAD_STORE": "s3://b", "OFFLOAD_PUBLIC_URL": "https://p"})
    assert (config.store, config.public_url) == ("s3://b", "https://p")


def test_malformed_yaml_names_the_line(repo: GitRepo) -> None:
    repo.write("offload.yaml", "store: x\nartifacts:\n  include: [\"*.png\"\n  max_bytes: 3\n")
    with pytest.raises(ConfigError, match=r"line \d") as info:
        load_config(find_repo(repo.path))
    assert info.value.exit_code == 3


@pytest.mark.parametrize(
    "text",
    ["- a\n- b\n", "artifacts: [1]\n", "artifacts: {max_bytes: -1}\n", "transport: ftp\n",
     "artifacts: {include: 3}\n"],
)
def test_wrong_shapes_are_config_errors(repo: GitRepo, text: str) -> None:
    repo.write("offload.yaml", text)
    with pytest.raises(ConfigError):
        load_config(find_repo(repo.path))
