"""The validated shape of offload.yaml (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offload.migrate.sites import SiteRoot

DEFAULT_KEY_TEMPLATE = "{dir}/{stem}.{sha256:12}{ext}"
DEFAULT_INCLUDE = (
    "*.png", "*.jpg", "*.jpeg", "*.webp", "*.gif", "*.mp4", "*.mov", "*.glb", "*.fbx",
    "*.exr", "*.psd", "*.wav",
)
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_REWRITE = ("*.md", "*.markdown", "*.html", "*.htm", "*.css", "*.json", "*.yaml", "*.yml")
DEFAULT_REPORT = ("*.py", "*.js", "*.ts", "*.sh", "*.txt", "*.toml", "*.ipynb")


@dataclass(frozen=True)
class ArtifactRules:
    include: tuple[str, ...] = DEFAULT_INCLUDE
    max_bytes: int = DEFAULT_MAX_BYTES
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceRules:
    rewrite: tuple[str, ...] = DEFAULT_REWRITE
    report: tuple[str, ...] = DEFAULT_REPORT
    site_roots: tuple[SiteRoot, ...] | None = None  # None: detected from the site's files


@dataclass(frozen=True)
class S3Settings:
    endpoint_url: str | None = None
    region: str = "auto"
    addressing_style: str | None = None


@dataclass(frozen=True)
class Config:
    """Everything offload.yaml says, with defaults filled in.

    ``root`` is the work tree the config applies to; ``source`` the file it came from
    (None when running on defaults).
    """

    root: Path
    source: Path | None = None
    store: str | None = None
    public_url: str | None = None
    key_template: str = DEFAULT_KEY_TEMPLATE
    artifacts: ArtifactRules = field(default_factory=ArtifactRules)
    watch_paths: tuple[str, ...] = ("outputs/",)
    references: ReferenceRules = field(default_factory=ReferenceRules)
    s3: S3Settings = field(default_factory=S3Settings)
    transport: str = "boto3"

    @property
    def manifest_path(self) -> Path:
        return self.root / "offload.lock"
