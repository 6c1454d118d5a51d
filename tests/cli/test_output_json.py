"""--json: one object per command, with kind and version; times in ISO-8601 UTC."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from offload import __version__
from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from testing.servers import stop_process

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def kind_of(repo: GitRepo, *args: str) -> str:
    result = run_offload(*args, "--json", cwd=repo.path, timeout=60)
    document = result.json()
    assert isinstance(document, dict) and document["version"] == __version__, result.output
    return str(document["kind"])


def test_every_command_prints_one_object_with_its_kind(repo: GitRepo) -> None:
    repo.write("offload.yaml", 'watch:\n  paths: ["outputs/"]\n  settle_ms: 50\n')
    repo.write("shots/a.png", b"frame")
    (repo.path / "outputs").mkdir()
    kinds = {
        ("put", "shots"): "put", ("ls",): "ls", ("url", "shots/a.png"): "url",
        ("verify",): "verify", ("get", "shots/a.png", "-o", "out"): "get", ("pull",): "pull",
        ("check", "--all"): "check", ("watch", "--once"): "watch",
        ("watch", "status"): "watch-status", ("watch", "stop"): "watch-stop",
        ("status",): "status", ("put", "missing.png"): "error",
    }
    assert {args: kind_of(repo, *args) for args in kinds} == kinds
    listed = run_offload("ls", "--json", cwd=repo.path).json()
    assert [e["path"] for e in listed["items"]] == ["shots/a.png"]


def test_watch_stop_json_says_whether_a_daemon_stopped(repo: GitRepo) -> None:
    result = run_offload("watch", "stop", "--json", cwd=repo.path)
    assert result.rc == 0, result.output
    assert result.json() == {"kind": "watch-stop", "version": __version__, "stopped": False,
                             "pid": None,
                             "message": "no watch daemon is running in this worktree"}


def test_times_are_iso_8601_utc(repo: GitRepo) -> None:
    repo.write("offload.yaml", 'watch:\n  paths: ["outputs/"]\n  settle_ms: 50\n')
    repo.write("outputs/one.png", b"1")
    assert run_offload("watch", "--once", cwd=repo.path, timeout=60).rc == 0
    status = run_offload("watch", "status", "--json", cwd=repo.path)
    assert status.rc == 3  # no daemon runs
    last = status.json()["last_upload"]
    assert last["path"] == "outputs/one.png" and ISO_UTC.match(last["at"]), last


def test_serve_json_prints_one_object_once_listening(repo: GitRepo) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "offload", "serve", "--port", "0", "--json"],
                            cwd=repo.path, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the socket listens
        document = json.loads(line)
        assert document["kind"] == "serve" and document["pid"] == proc.pid
        assert document["url"].startswith("http://127.0.0.1:")
        assert document["root"].endswith("offload/store")
        from urllib.request import urlopen

        with urlopen(document["gallery"], timeout=30) as reply:
            assert reply.status == 200
    finally:
        stop_process(proc)  # type: ignore[arg-type]


def test_commit_dates_are_converted_to_utc(repo: GitRepo) -> None:
    repo.write("hero.png", b"hero")
    assert run_offload("put", "hero.png", cwd=repo.path).rc == 0
    repo.add("offload.lock")
    when = "2026-01-02T12:00:00+02:00"
    repo.git("commit", "-q", "-m", "hero", env={"GIT_AUTHOR_DATE": when,
                                                "GIT_COMMITTER_DATE": when})
    log = run_offload("log", "hero.png", "--json", cwd=repo.path)
    assert log.rc == 0, log.output
    assert log.json()["kind"] == "log"
    assert [v["date"] for v in log.json()["versions"]] == ["2026-01-02T10:00:00Z"]
