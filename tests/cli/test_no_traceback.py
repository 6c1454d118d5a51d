"""Hostile but ordinary inputs through the real CLI: always `error:`/`next:`, never a traceback.

Each case names the exit code it expects. Cases marked "net" are caught only by the top-level
handler today (another part of offload may later give them a more specific error); the code
listed is the one the handler gives, so each case passes with the handler alone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from testing.cli import cli_env, run_offload
from testing.repos import GitRepo

SECRET = "hunter2-do-not-print"
Setup = Callable[[GitRepo, Path], tuple[list[str], dict[str, str]]]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    code: int


def _yaml(text: bytes | str, *args: str) -> Setup:
    def setup(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
        repo.write("offload.yaml", text)
        repo.write("frame.png", b"\x89PNG frame")
        return list(args), {}
    return setup


def _lock(text: bytes | str, *args: str) -> Setup:
    def setup(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
        repo.write("offload.lock", text)
        return list(args), {}
    return setup


def _rclone_conf_latin1(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    conf = tmp / "rclone.conf"
    conf.write_bytes(b"[r2]\ntype = s3\nsecret_access_key = caf\xe9\n")
    repo.write("offload.yaml", "store: rclone:r2:film\n")
    repo.write("frame.png", b"\x89PNG frame")
    return ["put", "frame.png"], {"RCLONE_CONFIG": str(conf)}


def _gemini_base_url(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    return (["generate", "turnaround", "--provider", "gemini", "--character", "mira",
             "--prompt", "pilot"],
            {"OFFLOAD_GEMINI_BASE_URL": f"http://user:{SECRET}@[::1", "GEMINI_API_KEY": "k"})


def _lock_is_a_folder(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    (repo.path / "offload.lock").mkdir()
    return ["ls"], {}


def _unreadable_file(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    repo.write("locked.png", b"\x89PNG locked").chmod(0)
    return ["put", "locked.png"], {"OFFLOAD_STORE": str(tmp / "store")}


def _undecodable_name(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    name = os.fsdecode(b"caf\xe9.png")
    repo.write(name, b"\x89PNG latin-1 name")
    return ["put", name], {"OFFLOAD_STORE": str(tmp / "store")}


def _control_name(repo: GitRepo, tmp: Path) -> tuple[list[str], dict[str, str]]:
    repo.write("a\x01\nb.png", b"\x89PNG")
    return ["put", "a\x01\nb.png"], {"OFFLOAD_STORE": str(tmp / "store")}


def _args(*args: str) -> Setup:
    return lambda repo, tmp: (list(args), {})


S3 = "store: s3://film\ns3:\n  endpoint_url: \"{url}\"\n"
CASES = [
    Case("offload.yaml not UTF-8", _yaml(b"store: caf\xe9\n", "ls"), 3),
    Case("offload.yaml is a list", _yaml("- a\n- b\n", "ls"), 3),
    Case("offload.yaml with a tab", _yaml("artifacts:\n\tmax_bytes: 3\n", "ls"), 3),
    Case("offload.yaml duplicate anchor", _yaml("a: &x 1\nb: &x 2\n", "ls"), 3),
    Case("offload.yaml python tag", _yaml("store: !!python/object:os.system x\n", "ls"), 3),
    Case("max_bytes .inf", _yaml("artifacts:\n  max_bytes: .inf\n", "ls"), 3),
    Case("watch.jobs .inf", _yaml("watch:\n  jobs: .inf\n", "watch", "--once"), 3),
    Case("settle_ms .nan", _yaml("watch:\n  settle_ms: .nan\n", "watch", "--once"), 3),
    Case("endpoint without scheme", _yaml(S3.format(url="127.0.0.1:9000"), "put", "frame.png"),
         3),
    Case("endpoint with secret, bad IPv6",
         _yaml(S3.format(url=f"http://user:{SECRET}@[::1"), "put", "frame.png"), 3),
    Case("endpoint port out of range",
         _yaml(S3.format(url="http://127.0.0.1:99999"), "put", "frame.png"), 3),
    Case("rclone.conf not UTF-8", _rclone_conf_latin1, 3),
    Case("OFFLOAD_GEMINI_BASE_URL bad IPv6", _gemini_base_url, 3),
    # net: offload.lock parsing belongs to the manifest code
    Case("offload.lock size 1e400",
         _lock('{"path": "a.png", "size": 1e400, "sha256": "00", "key": "a.png"}\n', "ls"), 3),
    Case("offload.lock not UTF-8", _lock(b'{"path": "caf\xe9.png"}\n', "ls"), 3),
    Case("offload.lock not JSON", _lock("{not json\n", "ls"), 3),
    Case("offload.lock is a folder", _lock_is_a_folder, 1),  # net: EISDIR
    Case("put undecodable name", _undecodable_name, 2),
    Case("put control characters in name", _control_name, 2),
    Case("get a URL that is not recorded", _args("get", "https://cdn.example.test/none.png"), 2),
    Case("serve --port 99999", _args("serve", "--port", "99999"), 3),  # net: OverflowError
]
if os.geteuid() != 0:  # root reads a chmod 000 file anyway
    CASES.append(Case("put an unreadable file", _unreadable_file, 1))


def assert_reported(output: str, stderr: str) -> None:
    assert "Traceback" not in output, output
    assert "error:" in stderr and "next:" in stderr, output
    assert SECRET not in output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gives_error_and_next_step(case: Case, repo: GitRepo,
                                                 tmp_path: Path) -> None:
    args, env = case.setup(repo, tmp_path)
    result = run_offload(*args, cwd=repo.path, env=env, timeout=60)
    assert_reported(result.output, result.stderr)
    assert result.rc == case.code, result.output


def test_json_gets_the_error_object(repo: GitRepo) -> None:
    repo.write("offload.yaml", S3.format(url=f"http://user:{SECRET}@[::1"))
    repo.write("frame.png", b"\x89PNG frame")
    result = run_offload("put", "frame.png", "--json", cwd=repo.path)
    assert result.rc == 3
    assert result.json()["exit_code"] == 3 and result.json()["next_step"]
    assert_reported(result.output, result.stderr)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound but not listening: connections are refused, and no one else can take it."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def test_unreachable_store_exits_4(repo: GitRepo, closed_port: int) -> None:
    repo.write("offload.yaml", S3.format(url=f"http://user:{SECRET}@127.0.0.1:{closed_port}"))
    repo.write("frame.png", b"\x89PNG frame")
    result = run_offload("put", "frame.png", cwd=repo.path, timeout=120,
                         env={"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"})
    assert_reported(result.output, result.stderr)
    assert result.rc == 4


def _run_with_stdout(repo: GitRepo, args: list[str], stdout: int) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "offload", *args], cwd=repo.path,
                          env=cli_env(), stdout=stdout, stderr=subprocess.PIPE, timeout=60)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def _many_entries(repo: GitRepo, count: int) -> None:
    lines = (f'{{"path": "f{i:05}.png", "size": 1, "sha256": "{i:064x}", "key": "f{i}.png"}}'
             for i in range(count))
    repo.write("offload.lock", "\n".join(lines) + "\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_exits_4(repo: GitRepo) -> None:
    _many_entries(repo, 3)
    with open("/dev/full", "wb") as full:
        for args in (["ls"], ["ls", "--json"]):
            rc, stderr = _run_with_stdout(repo, args, full.fileno())
            assert_reported(stderr, stderr)
            assert rc == 4 and "no space" in stderr


def test_closed_stdout_pipe_is_quiet(repo: GitRepo) -> None:
    # More output than a pipe buffer holds: offload must meet the closed pipe while writing.
    _many_entries(repo, 5000)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        rc, stderr = _run_with_stdout(repo, ["ls"], write_end)
    finally:
        os.close(write_end)
    assert stderr == ""
    assert rc == 1
