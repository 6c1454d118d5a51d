"""gc stops, deleting nothing, when the store cannot be listed in full."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from offload.errors import ExitCode, StoreError, UsageError
from offload.gc.plan import parse_age
from offload.store.garbage import _s3_objects
from testing.cli import run_offload
from testing.repos import GitRepo


class TruncatingClient:
    """A listing that says "more follows" and gives no continuation token."""

    def __init__(self) -> None:
        self.calls = 0

    def list_objects_v2(self, **args: Any) -> dict[str, Any]:
        self.calls += 1
        return {"Contents": [{"Key": "prod/a.png", "Size": 1,
                              "LastModified": "2020-01-01T00:00:00+00:00"}],
                "IsTruncated": True}


class FakeS3:
    prefix, bucket, endpoint, description = "prod", "b", "http://127.0.0.1:1", "s3://b/prod"

    def __init__(self) -> None:
        self.client = TruncatingClient()


def test_a_truncated_listing_is_refused_not_taken_as_complete() -> None:
    fake = FakeS3()
    with pytest.raises(StoreError, match="truncated"):
        _s3_objects(fake)
    assert fake.client.calls == 1


def test_unreachable_store_refuses_with_exit_4(repo: GitRepo, closed_port: int) -> None:
    endpoint = f"http://127.0.0.1:{closed_port}"
    repo.write("offload.yaml", f"store: s3://assets/prod\ns3: {{endpoint_url: \"{endpoint}\"}}\n")
    env = {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_MAX_ATTEMPTS": "1"}
    result = run_offload("gc", "--all-repos-listed", "--older-than", "0s", cwd=repo.path,
                         env=env)
    assert result.rc == ExitCode.STORE, result.output
    assert "unreachable" in result.stderr and "next:" in result.stderr


def test_ages() -> None:
    assert parse_age("7d") == timedelta(days=7) and parse_age("0s") == timedelta(0)
    assert parse_age("90m") == timedelta(minutes=90) and parse_age("2w") == timedelta(days=14)
    for bad in ("7", "-1d", "1y", ""):
        with pytest.raises(UsageError):
            parse_age(bad)
