"""Fixtures for the store tests."""

from __future__ import annotations

import pytest

from testing.servers import S3Server


@pytest.fixture(params=["moto", "seaweedfs"])
def enforcing_s3(request: pytest.FixtureRequest) -> tuple[S3Server, str]:
    """(server, fresh bucket) on each S3 server that enforces If-None-Match: *."""
    moto = request.param == "moto"
    server = request.getfixturevalue("moto_s3" if moto else "seaweedfs_s3")
    return server, request.getfixturevalue("s3_bucket" if moto else "seaweedfs_bucket")
