"""Site roots: folders a static-site generator serves as ``/`` (or as its base path).

A site root is tried only after the readings every document gets (relative to the document,
``/`` = repository root, data values also from the root), so a target that already names a
known path keeps that meaning. For the documents under ``documents``:

- a ``/``-leading target is also read from ``base`` (MkDocs ``docs_dir``, Jekyll ``source``,
  Hugo ``static/``);
- a JSON/YAML or front-matter value that is a bare path is also read from ``base``;
- with ``relative``, any other target is also read from ``base`` (docsify's ``basePath``).

The site's configuration file (``config``, e.g. ``mkdocs.yml``) is a rewrite document whose
values are read from ``base`` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offload.errors import ConfigError
from offload.migrate.references.base import resolve

_KEYS = frozenset({"base", "documents", "relative", "config", "found_by"})


@dataclass(frozen=True)
class SiteRoot:
    base: str  # folder with a trailing "/", or "" for the repository root
    documents: str = ""  # the documents it applies to: a folder, "" for all
    relative: bool = False
    config: str | None = None
    found_by: str = "offload.yaml"

    def applies_to(self, doc_path: str) -> bool:
        return doc_path == self.config or doc_path.startswith(self.documents)

    def readings(self, doc_path: str, path: str, data_value: bool) -> list[str | None]:
        bare = not path.startswith(("/", "./", "../"))
        if path.startswith("/") or doc_path == self.config or self.relative or (
                data_value and bare):
            return [resolve("", self.base + path.lstrip("/"), from_root=True)]
        return []

    def to_yaml(self) -> dict[str, Any]:
        row: dict[str, Any] = {"base": self.base, "documents": self.documents}
        if self.relative:
            row["relative"] = True
        if self.config:
            row["config"] = self.config
        row["found_by"] = self.found_by
        return row


def site_readings(roots: tuple[SiteRoot, ...], doc_path: str, path: str,
                  data_value: bool) -> list[str | None]:
    return [reading for root in roots if root.applies_to(doc_path)
            for reading in root.readings(doc_path, path, data_value)]


def parse_site_roots(value: Any, where: str) -> tuple[SiteRoot, ...] | None:
    """``references.site_roots`` of offload.yaml, a recipe or a plan; None when unset."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise _invalid(where, "must be a list")
    return tuple(_one(entry, where) for entry in value)


def _one(entry: Any, where: str) -> SiteRoot:
    if isinstance(entry, str):
        return SiteRoot(folder_path(entry, where))
    if not isinstance(entry, dict) or "base" not in entry:
        raise _invalid(where, "entries must be a folder or a mapping with `base`")
    unknown = sorted(str(k) for k in entry if k not in _KEYS)
    if unknown:
        raise _invalid(where, f"unknown key `{unknown[0]}` (known: {', '.join(sorted(_KEYS))})")
    base = folder_path(entry["base"], where)
    relative = entry.get("relative", False)
    config = entry.get("config")
    found_by = entry.get("found_by", "offload.yaml")
    if not isinstance(relative, bool):
        raise _invalid(where, "`relative` must be true or false")
    if config is not None and (not isinstance(config, str) or not _clean(config)):
        raise _invalid(where, "`config` must be a file path inside the repository")
    if not isinstance(found_by, str):
        raise _invalid(where, "`found_by` must be text")
    documents = folder_path(entry.get("documents", ""), where)
    return SiteRoot(base, documents, relative, config, found_by)


def folder_path(value: Any, where: str) -> str:
    """``docs``, ``docs/``, ``./docs`` and ``/docs/`` all become ``docs/``; ``.`` becomes ``""``."""
    if not isinstance(value, str):
        raise _invalid(where, "folders must be text, e.g. docs/")
    parts = [p for p in value.strip().split("/") if p not in ("", ".")]
    if ".." in parts:
        raise _invalid(where, f"folder {value!r} climbs out of the repository")
    return "".join(p + "/" for p in parts)


def _clean(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts


def _invalid(where: str, why: str) -> ConfigError:
    return ConfigError(f"{where}: references.site_roots {why}",
                       "write it as site_roots: [{base: docs/}] or site_roots: [docs/] "
                       "(see README, How references are rewritten)")
