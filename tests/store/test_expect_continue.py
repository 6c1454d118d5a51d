"""Small bodies go up without waiting for `100 Continue`; large ones (parts too) still ask."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from offload.config.model import S3Settings
from offload.store.base import PutRequest
from offload.store.s3 import S3Backend
from testing.servers import S3Server

MIB = 1024 * 1024


def test_only_bodies_from_the_line_up_wait_for_100_continue(
        moto_s3: S3Server, s3_bucket: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("offload.store.s3.EXPECT_CONTINUE_FROM", 1 * MIB)
    monkeypatch.setattr("offload.store.s3.MULTIPART_THRESHOLD", 6 * MIB)
    monkeypatch.setattr("offload.store.s3.PART_SIZE", 5 * MIB)
    store = S3Backend(s3_bucket, "e", S3Settings(endpoint_url=moto_s3.endpoint_url),
                      access_key=moto_s3.access_key, secret_key=moto_s3.secret_key)
    sent: list[tuple[str, int, str | None]] = []

    def record(request: Any, **kwargs: Any) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        expect = request.headers.get("Expect")
        if isinstance(expect, bytes):  # headers are bytes by the time they are sent
            expect = expect.decode()
        sent.append((request.method, length, expect))

    store.client.meta.events.register("before-send.s3", record)
    sizes = {"small.png": 200 * 1024, "under.png": MIB - 1, "at.png": MIB, "big.png": 7 * MIB}
    requests = []
    for name, size in sizes.items():
        data = os.urandom(size)
        (tmp_path / name).write_bytes(data)
        requests.append(PutRequest(f"shots/{name}", tmp_path / name,
                                   hashlib.sha256(data).hexdigest(), "image/png"))
    store.put_files(requests)

    puts = sorted((length, expect) for method, length, expect in sent
                  if method == "PUT" and length)
    # small, under the line: sent at once; at the line, and both parts of the multipart: ask
    assert puts == [(200 * 1024, None), (MIB - 1, None), (MIB, "100-continue"),
                    (2 * MIB, "100-continue"), (5 * MIB, "100-continue")]
    for name, size in sizes.items():
        head = moto_s3.client().head_object(Bucket=s3_bucket, Key=f"e/shots/{name}")
        assert head["ContentLength"] == size
