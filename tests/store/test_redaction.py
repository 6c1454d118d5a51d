"""A password in s3.endpoint_url never reaches output, logs, the queue, plans or the manifest."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from offload.errors import ExitCode
from offload.store.redact import redact_text, redact_url
from testing.cli import CliResult, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server

PASSWORD = "s3cr3t-pass"


def configure(repo: GitRepo, bucket: str, endpoint: str) -> None:
    repo.write("offload.yaml", "\n".join([
        f"store: s3://{bucket}/prod",
        "public_url: https://cdn.example.test/prod",
        f's3: {{endpoint_url: "{endpoint}"}}',
        "watch:",
        '  paths: ["outputs/"]',
        "  settle_ms: 100",
        "  retry_base_s: 0.1",
        "  retry_max_s: 0.3",
    ]) + "\n")


def files_containing(root: Path, needle: bytes) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.name != "offload.yaml" \
                and needle in path.read_bytes():
            found.append(str(path.relative_to(root)))
    return found


def wait_for_failure(repo: GitRepo, env: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = run_offload("watch", "status", "--json", cwd=repo.path, env=env)
        if result.rc == 0 and result.json()["counts"]["retrying"] + len(result.json()["failed"]):
            return
        time.sleep(0.2)
    raise AssertionError("the daemon recorded no failed upload within 60 s")


def test_endpoint_password_never_leaks(repo: GitRepo, moto_s3: S3Server, s3_bucket: str, closed_port: int) -> None:
    env = {**moto_s3.env(), "AWS_MAX_ATTEMPTS": "2"}
    repo.write("shots/a.png", b"\x89PNG" + os.urandom(2000))
    repo.write("outputs/b.png", b"\x89PNG" + os.urandom(2000))
    results: list[CliResult] = []

    def run(*args: str) -> CliResult:
        results.append(run_offload(*args, cwd=repo.path, env=env))
        return results[-1]

    configure(repo, s3_bucket, f"http://user:{PASSWORD}@127.0.0.1:{moto_s3.port}")
    assert run("put", "shots", "--json").rc == 0, results[-1].output
    assert run("verify", "--json").rc == 0, results[-1].output
    assert run("watch", "--once").rc == 0, results[-1].output
    assert run("watch", "status", "--json").rc == 3  # no daemon runs
    assert run("migrate", "plan", "--include-plain", "--json").rc in (0, 1), results[-1].output

    configure(repo, s3_bucket, f"http://user:{PASSWORD}@127.0.0.1:{closed_port}")
    repo.write("shots/c.png", b"\x89PNG" + os.urandom(2000))
    repo.write("outputs/d.png", b"\x89PNG" + os.urandom(2000))
    failed = run("put", "shots", "--json")
    assert failed.rc == ExitCode.STORE and "http://***@127.0.0.1:" in failed.stderr
    assert run("verify", "--json").rc == ExitCode.STORE
    assert run("watch", "--once").rc != 0
    assert run("watch", "--daemon").rc == 0, results[-1].output
    try:
        wait_for_failure(repo, env)
        assert run("watch", "status", "--json").rc == 0
        assert run("watch", "status").rc == 0
    finally:
        run_offload("watch", "stop", "--timeout", "20", cwd=repo.path, env=env, timeout=40)
    run("migrate", "plan", "--include-plain", "--json")

    for result in results:
        assert PASSWORD not in result.output, result.output
        assert "Traceback" not in result.output, result.output
    log = (repo.path / ".git" / "offload" / "watch" / "daemon.log").read_text()
    assert "http://***@127.0.0.1:" in log  # the endpoint is logged, without its password
    assert list((repo.path / "migrations").glob("*.yaml"))
    assert files_containing(repo.path, PASSWORD.encode()) == []


@pytest.mark.parametrize("endpoint", ["127.0.0.1:9000", f"user:{PASSWORD}@127.0.0.1:9000",
                                      "ftp://127.0.0.1:9000", "http://[::1", "http://h:99999"])
def test_invalid_endpoint_is_a_config_error(repo: GitRepo, endpoint: str) -> None:
    configure(repo, "assets", endpoint)
    repo.write("shots/a.png", b"\x89PNG" + os.urandom(100))
    for args in (("put", "shots"), ("put", "shots", "--json"), ("verify",)):
        result = run_offload(*args, cwd=repo.path)
        assert result.rc == ExitCode.CONFIG, result.output
        assert "s3.endpoint_url" in result.stderr and "next:" in result.stderr
        assert PASSWORD not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("text", "shown"), [
    ("http://user:pw@host:9000/x", "http://***@host:9000/x"),
    ("https://a:b@c@host/", "https://***@host/"),
    ("user:pw@host:9000", "***@host:9000"),
    ("https://host/k?X-Amz-Signature=abc123&X-Amz-Credential=AKIA%2F1",
     "https://host/k?X-Amz-Signature=***&X-Amz-Credential=***"),
    ("http://host:9000", "http://host:9000"),
])
def test_redact_url(text: str, shown: str) -> None:
    assert redact_url(text) == shown


def test_redact_text_masks_assignments_and_known_secrets(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "envSecretValue123")
    text = ("failed: secret_access_key = abc/def+ghi AWS_SECRET_ACCESS_KEY=xyz "
            "token envSecretValue123 at https://k:v@r2.example/b and the rclone-only-secret")
    shown = redact_text(text, ["rclone-only-secret"])
    for secret in ("abc/def+ghi", "xyz", "envSecretValue123", "k:v", "rclone-only-secret"):
        assert secret not in shown
    assert "https://***@r2.example/b" in shown
