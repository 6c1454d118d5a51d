"""put / ls / url / verify / get / pull end to end on the embedded local store."""

import json
import os
from pathlib import Path

from testing.cli import run_offload
from testing.repos import GitRepo


def images(repo: GitRepo, count: int = 3) -> list[str]:
    names = [f"frames/shot {i}/främe-{i}.png" for i in range(count)]
    for i, name in enumerate(names):
        repo.write(name, os.urandom(2000 + i))
    return names


def test_init_writes_config_and_ignores_private_folder(repo: GitRepo) -> None:
    result = run_offload("init", cwd=repo.path)
    assert result.rc == 0, result.output
    assert "next steps" in result.stdout
    assert (repo.path / "offload.yaml").is_file()
    assert ".offload/" in (repo.path / ".git/info/exclude").read_text().splitlines()
    assert not (repo.path / ".gitignore").exists()  # init edits no tracked file
    again = run_offload("init", cwd=repo.path)
    assert again.rc == 2 and "--force" in again.stderr


def test_put_untrack_ls_url_verify_get_pull(repo: GitRepo, tmp_path: Path) -> None:
    names = images(repo)
    repo.add(*names)
    repo.commit("images in git")
    put = run_offload("put", "frames", "--untrack", "--json", cwd=repo.path)
    assert put.rc == 0, put.output
    records = put.json()["items"]
    assert sorted(r["path"] for r in records) == sorted(names)
    assert all(r["url"].startswith("file://") and r["source"] == "put" for r in records)
    # untracked: gone from the index, still on disk, ignored
    assert repo.git("ls-files", "frames") == ""
    assert all((repo.path / n).is_file() for n in names)
    assert repo.git("status", "--porcelain", "--ignored", "frames").count("!!") >= 1

    lines = (repo.path / "offload.lock").read_text().splitlines()
    assert [json.loads(line)["path"] for line in lines] == sorted(names, key=str.encode)

    ls = run_offload("ls", "frames/shot 1/*", "--json", cwd=repo.path)
    assert [e["path"] for e in ls.json()["items"]] == [names[1]]

    url = run_offload("url", names[0], cwd=repo.path)
    assert url.rc == 0 and "%20" in url.stdout and url.stdout.strip().startswith("file://")

    verify = run_offload("verify", "--json", cwd=repo.path)
    assert verify.rc == 0 and verify.json()["checked"] == 3

    out = tmp_path / "out"
    get = run_offload("get", names[2], "-o", out, cwd=repo.path)
    assert get.rc == 0, get.output
    assert (out / "främe-2.png").read_bytes() == (repo.path / names[2]).read_bytes()

    original = (repo.path / names[0]).read_bytes()
    (repo.path / names[0]).unlink()
    pull = run_offload("pull", "--json", cwd=repo.path)
    assert pull.rc == 0 and [e["path"] for e in pull.json()["items"]] == [names[0]]
    assert (repo.path / names[0]).read_bytes() == original


def test_identical_content_is_stored_once(repo: GitRepo) -> None:
    repo.write("a/x.png", b"same bytes")
    assert run_offload("put", "a/x.png", cwd=repo.path).rc == 0
    store = repo.path / ".git" / "offload" / "store"
    before = {p: p.stat().st_mtime_ns for p in store.rglob("*.png")}
    assert run_offload("put", "a/x.png", cwd=repo.path).rc == 0
    assert {p: p.stat().st_mtime_ns for p in store.rglob("*.png")} == before


def test_verify_finds_a_damaged_object_and_get_leaves_no_partial(repo: GitRepo,
                                                                 tmp_path: Path) -> None:
    repo.write("a/x.png", b"original content")
    assert run_offload("put", "a/x.png", cwd=repo.path).rc == 0
    stored = next((repo.path / ".git" / "offload" / "store").rglob("x.*.png"))
    stored.write_bytes(b"tampered content")  # same size, different bytes
    store = repo.path / ".git/offload/store"
    meta = store / ".offload-meta" / f"{stored.relative_to(store)}.json"
    meta.unlink()  # no recorded sha256 left: verify must hash the content itself
    verify = run_offload("verify", cwd=repo.path)
    assert verify.rc == 1 and "sha256" in verify.stdout
    out = tmp_path / "out"
    get = run_offload("get", "a/x.png", "-o", out, cwd=repo.path)
    assert get.rc == 1 and "sha256" in get.stderr
    assert list(out.iterdir()) == []  # the partial download was removed


def test_path_outside_the_repository_is_refused(repo: GitRepo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(b"x")
    result = run_offload("put", outside, cwd=repo.path)
    assert result.rc == 2
    assert "outside the repository" in result.stderr and "next:" in result.stderr
    assert not (repo.path / "offload.lock").exists()


def test_missing_file_is_a_usage_error(repo: GitRepo) -> None:
    result = run_offload("put", "nope.png", cwd=repo.path)
    assert result.rc == 2 and "does not exist" in result.stderr


def test_malformed_config_and_manifest_name_the_line(repo: GitRepo) -> None:
    repo.write("offload.yaml", "store: x\nartifacts: {include: [\n")
    bad_yaml = run_offload("ls", cwd=repo.path)
    assert bad_yaml.rc == 3 and "line" in bad_yaml.stderr and "Traceback" not in bad_yaml.stderr
    repo.write("offload.yaml", "")
    repo.write("offload.lock", '{"path": "a"}\nnot json\n')
    bad_lock = run_offload("ls", "--json", cwd=repo.path)
    assert bad_lock.rc == 3 and "line 1" in bad_lock.stderr
    assert bad_lock.json()["exit_code"] == 3


def test_outside_a_repository(tmp_path: Path) -> None:
    result = run_offload("ls", cwd=tmp_path)
    assert result.rc == 5 and "git init" in result.stderr


def test_git_offload_alias_works(repo: GitRepo) -> None:
    import shutil
    import subprocess

    from testing.cli import cli_env

    script = shutil.which("git-offload", path=str(Path(os.sys.executable).parent))
    assert script is not None, "the git-offload console script is installed"
    env = cli_env({"PATH": f"{Path(script).parent}{os.pathsep}{os.environ['PATH']}"})
    proc = subprocess.run(["git", "offload", "ls", "--json"], cwd=repo.path, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and json.loads(proc.stdout)["items"] == []


def test_untrack_takes_names_literally(repo: GitRepo) -> None:
    repo.write("frames/ab.png", b"\x89PNG keep tracked")
    repo.add("frames")
    repo.commit("frames")
    repo.write("frames/a*.png", b"\x89PNG untracked, with a glob character in its name")
    result = run_offload("put", "frames/a*.png", "--untrack", cwd=repo.path)
    assert result.rc == 0, result.output
    assert repo.git("ls-files", "frames").splitlines() == ["frames/ab.png"]
