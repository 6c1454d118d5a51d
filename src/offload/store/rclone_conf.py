"""Reading one remote of rclone.conf (``RCLONE_CONFIG``, else rclone's default location)."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from offload.errors import ConfigError

ADD_REMOTE_HINT = (
    "add it with `rclone config` or copy the [r2] section of rclone.conf.example into {path}"
)


@dataclass(frozen=True)
class RcloneRemote:
    """One ``[name]`` section; secrets are kept out of ``repr``."""

    name: str
    type: str
    source: Path
    provider: str | None = None
    endpoint: str | None = None
    region: str | None = None
    env_auth: bool = False
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    options: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def endpoint_url(self) -> str | None:
        if not self.endpoint:
            return None
        return self.endpoint if "://" in self.endpoint else f"https://{self.endpoint}"

    @property
    def addressing_style(self) -> str | None:
        force_path = self.options.get("force_path_style", "").strip().lower()
        if force_path in ("false", "0"):
            return "virtual"
        if (self.provider or "").lower() == "aws" and not force_path:
            return None
        return "path"  # rclone's own default for every non-AWS provider


def config_path() -> Path:
    """Where rclone itself would look: $RCLONE_CONFIG, XDG, ~/.config, legacy ~/.rclone.conf."""
    explicit = os.environ.get("RCLONE_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    preferred = base / "rclone" / "rclone.conf"
    legacy = Path.home() / ".rclone.conf"
    return legacy if not preferred.exists() and legacy.exists() else preferred


def read_remote(name: str) -> RcloneRemote:
    path = config_path()
    sections = _read_sections(path)
    if name not in sections:
        known = ", ".join(sorted(sections)) or "none"
        raise ConfigError(
            f"rclone remote {name!r} is not in {path} (known remotes: {known})",
            ADD_REMOTE_HINT.format(path=path) + ", or fix `store:` in offload.yaml",
        )
    options = sections[name]
    kind = options.get("type", "")
    if kind != "s3":
        raise ConfigError(
            f"rclone remote {name!r} in {path} has type {kind or '(none)'!r}; offload needs an "
            "S3-compatible remote (type = s3)",
            "point `store:` at an s3 remote (e.g. provider = Cloudflare for R2)",
        )
    return RcloneRemote(
        name=name, type=kind, source=path, provider=options.get("provider"),
        endpoint=options.get("endpoint"), region=options.get("region"),
        env_auth=options.get("env_auth", "").lower() in ("true", "1"),
        access_key_id=options.get("access_key_id"),
        secret_access_key=options.get("secret_access_key"),
        session_token=options.get("session_token"), options=options,
    )


def _read_sections(path: Path) -> dict[str, dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}",
                          "check its permissions or set RCLONE_CONFIG") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start})",
                          "save it as UTF-8 (`rclone config file` shows which file rclone uses)"
                          ) from None
    if text.lstrip().startswith("# Encrypted rclone configuration"):
        raise ConfigError(
            f"{path} is encrypted; offload cannot read its remotes",
            "use `store: s3://bucket` with credentials in the environment, or an unencrypted "
            "rclone.conf via RCLONE_CONFIG",
        )
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: rclone.conf is not valid INI",
                          "fix the file (`rclone config file` shows which one rclone uses)"
                          ) from None
    return {s: {k: v.strip() for k, v in parser.items(s)} for s in parser.sections()}
