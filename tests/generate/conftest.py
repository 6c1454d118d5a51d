"""Fixtures for generation tests: a repository, real HTTP servers, a CLI shortcut."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.fake_gemini import FakeGemini, fake_gemini_server
from testing.servers import S3Server, free_port, stop_process, wait_for_port


@pytest.fixture(params=["moto", "seaweedfs"])
def server(request: pytest.FixtureRequest) -> tuple[S3Server, str]:
    """Each S3 server in turn, with a fresh bucket: (server, bucket)."""
    fixture = "moto_s3" if request.param == "moto" else "seaweedfs_s3"
    bucket = "s3_bucket" if request.param == "moto" else "seaweedfs_bucket"
    return request.getfixturevalue(fixture), request.getfixturevalue(bucket)


@pytest.fixture
def fake_gemini(tmp_path: Path) -> Iterator[FakeGemini]:
    log_dir = tmp_path / "gemini-requests"
    log_dir.mkdir()
    with fake_gemini_server(log_dir) as server:
        yield server


@pytest.fixture
def web_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served by a real HTTP server on 127.0.0.1: (folder, base URL)."""
    folder = tmp_path / "web"
    folder.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ),
    )
    try:
        wait_for_port(port, proc=proc)
        yield folder, f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc)
