"""Find offload.yaml from any subfolder or linked worktree and validate it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from offload.config.checks import check_endpoint_url, require_finite_numbers
from offload.config.model import (
    DEFAULT_KEY_TEMPLATE,
    ArtifactRules,
    Config,
    ReferenceRules,
    S3Settings,
)
from offload.config.schema import check_keys, check_store
from offload.errors import ConfigError
from offload.git.repo import RepoPaths

if TYPE_CHECKING:
    from offload.migrate.sites import SiteRoot

CONFIG_NAME = "offload.yaml"
TRANSPORTS = ("boto3", "rclone")
ADDRESSING_STYLES = ("auto", "virtual", "path")


def find_config_file(repo: RepoPaths) -> Path | None:
    """offload.yaml of this worktree, else the main worktree's (it may be untracked there)."""
    for root in (repo.toplevel, repo.main_worktree):
        candidate = root / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(repo: RepoPaths, environ: Mapping[str, str] | None = None) -> Config:
    env = os.environ if environ is None else environ
    source = find_config_file(repo)
    raw: dict[str, Any] = {}
    if source is not None:
        raw = _parse_yaml(source)
    config = _build(repo.toplevel, source, raw)
    overrides: dict[str, Any] = {}
    if env.get("OFFLOAD_STORE"):
        overrides["store"] = check_store(env["OFFLOAD_STORE"], "OFFLOAD_STORE")
    if env.get("OFFLOAD_PUBLIC_URL"):
        overrides["public_url"] = env["OFFLOAD_PUBLIC_URL"]
    if overrides:
        from dataclasses import replace

        config = replace(config, **overrides)
    return config


def _parse_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        detail = "; ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise ConfigError(
            f"{path} is not valid YAML (line {line}): {detail}",
            f"fix line {line} of {path.name} (or run `offload init --force` to start over)",
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start})",
                          f"save {path.name} as UTF-8") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", f"fix or recreate {path.name}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path} must be a mapping of settings, found {type(data).__name__}",
            "see SPEC §2 / `offload init` for the expected layout",
        )
    require_finite_numbers(data, path.name)
    check_keys(data, path.name)
    return data


def _build(root: Path, source: Path | None, raw: dict[str, Any]) -> Config:
    where = source.name if source else "offload.yaml"
    artifacts = _section(raw, "artifacts", where)
    references = _section(raw, "references", where)
    watch = _section(raw, "watch", where)
    s3 = _section(raw, "s3", where)
    transport = _opt_str(raw, "transport", where) or "boto3"
    if transport not in TRANSPORTS:
        raise ConfigError(
            f"{where}: transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}",
            f"set `transport: boto3` or `transport: rclone` in {where}",
        )
    style = _opt_str(s3, "addressing_style", f"{where} s3")
    if style is not None and style not in ADDRESSING_STYLES:
        raise ConfigError(
            f"{where}: s3.addressing_style must be one of {', '.join(ADDRESSING_STYLES)}",
            f"fix s3.addressing_style in {where}",
        )
    max_bytes = artifacts.get("max_bytes", ArtifactRules.max_bytes)
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 0:
        raise ConfigError(
            f"{where}: artifacts.max_bytes must be a non-negative integer",
            f"fix artifacts.max_bytes in {where} (e.g. 1048576)",
        )
    store = _opt_str(raw, "store", where)
    return Config(
        root=root,
        source=source,
        store=None if store is None else check_store(store, where),
        public_url=_opt_str(raw, "public_url", where),
        key_template=_opt_str(raw, "key_template", where) or DEFAULT_KEY_TEMPLATE,
        artifacts=ArtifactRules(
            include=_globs(artifacts, "include", ArtifactRules.include, where),
            max_bytes=max_bytes,
            allow=_globs(artifacts, "allow", (), where),
        ),
        watch_paths=_globs(watch, "paths", ("outputs/",), where),
        references=ReferenceRules(
            rewrite=_globs(references, "rewrite", ReferenceRules.rewrite, where),
            report=_globs(references, "report", ReferenceRules.report, where),
            site_roots=_site_roots(references, where),
        ),
        s3=S3Settings(
            endpoint_url=_endpoint(s3, where),
            region=_opt_str(s3, "region", f"{where} s3") or "auto",
            addressing_style=style,
        ),
        transport=transport,
    )


def _endpoint(s3: dict[str, Any], where: str) -> str | None:
    url = _opt_str(s3, "endpoint_url", f"{where} s3")
    return None if url is None else check_endpoint_url(url, "s3.endpoint_url", where)


def _section(raw: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `{name}` must be a mapping", f"fix the `{name}:` section")
    return value


def _opt_str(raw: dict[str, Any], name: str, where: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: `{name}` must be a non-empty string", f"fix `{name}:`")
    return value.strip()


def _site_roots(references: dict[str, Any], where: str) -> tuple[SiteRoot, ...] | None:
    if references.get("site_roots") is None:
        return None
    from offload.migrate.sites import parse_site_roots

    return parse_site_roots(references["site_roots"], where)


def _globs(raw: dict[str, Any], name: str, default: tuple[str, ...], where: str) -> tuple[str, ...]:
    value = raw.get(name)
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{where}: `{name}` must be a list of strings",
            f'write it as {name}: ["*.png", ...]',
        )
    return tuple(value)
