"""pytest fixtures that start real servers (registered from tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from testing.servers import (
    S3Server,
    moto_server,
    rclone_s3_server,
    refused_port,
    seaweedfs_server,
)

_bucket_numbers = itertools.count()


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """One moto server per test session (per xdist worker)."""
    with moto_server(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture
def s3_bucket(moto_s3: S3Server) -> str:
    """A fresh, empty bucket on the session's moto server."""
    name = f"bucket-{next(_bucket_numbers)}"
    moto_s3.create_bucket(name)
    return name


@pytest.fixture(scope="session")
def rclone_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """``rclone serve s3`` over TLS with a self-signed certificate, one per session."""
    with rclone_s3_server(tmp_path_factory.mktemp("rclone-s3")) as server:
        yield server


@pytest.fixture
def rclone_bucket(rclone_s3: S3Server) -> str:
    """A fresh, empty bucket (a folder) on the session's rclone S3 server."""
    name = f"bucket-{next(_bucket_numbers)}"
    rclone_s3.create_bucket(name)
    return name


@pytest.fixture(scope="session")
def seaweedfs_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """SeaweedFS ``weed mini``, one per session; enforces conditional creates like R2."""
    with seaweedfs_server(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture
def seaweedfs_bucket(seaweedfs_s3: S3Server) -> str:
    """A fresh, empty bucket on the session's SeaweedFS server."""
    name = f"bucket-{next(_bucket_numbers)}"
    seaweedfs_s3.create_bucket(name)
    return name


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A 127.0.0.1 port that refuses connections for the whole test (nothing can take it)."""
    with refused_port() as port:
        yield port
