"""Parsing the ``store:`` forms of SPEC §2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from offload.errors import ConfigError


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # "local", "s3" or "rclone"
    path: Path | None = None
    bucket: str = ""
    prefix: str = ""
    remote: str = ""

    def describe(self) -> str:
        if self.kind == "local":
            return f"local store {self.path}"
        where = f"{self.bucket}/{self.prefix}".rstrip("/")
        return f"s3://{where}" if self.kind == "s3" else f"rclone:{self.remote}:{where}"


def parse_store_spec(text: str | None, base_dir: Path, default_local: Path) -> StoreSpec:
    """``text`` as written in offload.yaml; relative local paths resolve from ``base_dir``."""
    if text is None:
        return StoreSpec(kind="local", path=default_local)
    if text.startswith("s3://"):
        bucket, prefix = _bucket_and_prefix(text[len("s3://"):], text)
        return StoreSpec(kind="s3", bucket=bucket, prefix=prefix)
    if text.startswith("rclone:"):
        rest = text[len("rclone:"):]
        remote, sep, location = rest.partition(":")
        if not sep or not remote:
            raise ConfigError(
                f"store {text!r} is not of the form rclone:REMOTE:bucket[/prefix]",
                "write e.g. `store: rclone:r2:film-assets/prod` in offload.yaml",
            )
        bucket, prefix = _bucket_and_prefix(location, text)
        return StoreSpec(kind="rclone", bucket=bucket, prefix=prefix, remote=remote)
    if text.startswith("file://"):
        parsed = urlparse(text)
        return StoreSpec(kind="local", path=Path(unquote(parsed.path)))
    if "://" in text:
        raise ConfigError(
            f"store {text!r} uses an unknown scheme",
            "use a path, file:///abs/path, s3://bucket[/prefix] or rclone:REMOTE:bucket[/prefix]",
        )
    path = Path(text).expanduser()
    return StoreSpec(kind="local", path=path if path.is_absolute() else base_dir / path)


def _bucket_and_prefix(location: str, original: str) -> tuple[str, str]:
    bucket, _, prefix = location.strip("/").partition("/")
    if not bucket:
        raise ConfigError(
            f"store {original!r} names no bucket",
            "add the bucket, e.g. s3://film-assets/prod",
        )
    return bucket, prefix.strip("/")
