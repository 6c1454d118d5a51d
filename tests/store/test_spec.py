from pathlib import Path

import pytest

from offload.errors import ConfigError
from offload.store.spec import parse_store_spec

BASE = Path("/repo")
DEFAULT = Path("/repo/.git/offload/store")


@pytest.mark.parametrize(
    ("text", "kind", "bucket", "prefix", "remote", "path"),
    [
        (None, "local", "", "", "", DEFAULT),
        ("s3://film-assets/prod/", "s3", "film-assets", "prod", "", None),
        ("s3://film-assets", "s3", "film-assets", "", "", None),
        ("rclone:r2:film-assets/prod", "rclone", "film-assets", "prod", "r2", None),
        ("file:///srv/store%20x", "local", "", "", "", Path("/srv/store x")),
        ("relative/store", "local", "", "", "", BASE / "relative/store"),
    ],
)
def test_store_forms(text: str | None, kind: str, bucket: str, prefix: str, remote: str,
                     path: Path | None) -> None:
    spec = parse_store_spec(text, BASE, DEFAULT)
    assert (spec.kind, spec.bucket, spec.prefix, spec.remote) == (kind, bucket, prefix, remote)
    if path is not None:
        assert spec.path == path


@pytest.mark.parametrize("text", ["s3://", "rclone:r2", "rclone::b", "ftp://x/y"])
def test_bad_store_forms(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_store_spec(text, BASE, DEFAULT)
