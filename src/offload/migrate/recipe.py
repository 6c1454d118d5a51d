"""Migration recipes: YAML files saying what to select and which rules to apply."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offload.config.model import Config
from offload.errors import ConfigError
from offload.globs import first_match
from offload.migrate.sites import SiteRoot, parse_site_roots

DEFAULT_RECIPE = "lfs-to-store.yaml"


def shipped_recipe(name: str = DEFAULT_RECIPE) -> Path:
    """A recipe of the installed wheel (``offload/migrations``) or of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "migrations", package.parent.parent / "migrations"):
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(f"the shipped recipe {name} is missing from this installation",
                      "reinstall offload, or pass your own with --recipe FILE")


def matches(path: str, globs: tuple[str, ...], fold_case: bool = False) -> bool:
    """The hook's rules: no '/' matches the file name, else the path; 'dir/' a folder."""
    return first_match(globs, path, fold_case) is not None


@dataclass(frozen=True)
class Rules:
    name: str
    lfs: bool
    plain: bool
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    max_bytes: int
    allow: tuple[str, ...]
    key_template: str
    rewrite: tuple[str, ...]
    report: tuple[str, ...]
    site_roots: tuple[SiteRoot, ...] | None = None  # None: detected when the plan is made

    @property
    def roots(self) -> tuple[SiteRoot, ...]:
        return self.site_roots or ()

    def is_doc(self, path: str) -> bool:
        return matches(path, self.rewrite) or any(r.config == path for r in self.roots)

    def is_report(self, path: str) -> bool:
        return matches(path, self.report) and not self.is_doc(path)

    def artifact_name(self, path: str) -> bool:
        return matches(path, self.include, fold_case=True)

    def excluded(self, path: str) -> bool:
        return matches(path, self.exclude)

    def plain_selected(self, path: str, size: int) -> bool:
        if not self.plain or self.excluded(path) or matches(path, self.allow):
            return False
        return self.artifact_name(path) or size > self.max_bytes

    def to_yaml(self) -> dict[str, Any]:
        return {"name": self.name, "select": {"lfs": self.lfs, "plain": self.plain,
                                              "exclude": list(self.exclude)},
                "key_template": self.key_template,
                "references": {"rewrite": list(self.rewrite), "report": list(self.report),
                               "site_roots": [r.to_yaml() for r in self.roots]}}


def load_rules(config: Config, recipe: Path | None, include_plain: bool) -> Rules:
    import yaml

    path = recipe or shipped_recipe()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the recipe {path}: {exc}",
                          "fix the recipe file or drop --recipe to use the default") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"recipe {path} must be a mapping", "see migrations/lfs-to-store.yaml")
    select = raw.get("select") or {}
    refs = raw.get("references") or {}
    return Rules(
        name=str(raw.get("name") or path.stem),
        lfs=bool(select.get("lfs", True)),
        plain=include_plain or bool(select.get("plain", False)),
        exclude=tuple(select.get("exclude") or ()),
        include=config.artifacts.include,
        max_bytes=config.artifacts.max_bytes,
        allow=config.artifacts.allow,
        key_template=str(raw.get("key_template") or config.key_template),
        rewrite=tuple(refs.get("rewrite") or config.references.rewrite),
        report=tuple(refs.get("report") or config.references.report),
        site_roots=_recipe_roots(refs, path, config),
    )


def _recipe_roots(refs: dict[str, Any], path: Path, config: Config
                  ) -> tuple[SiteRoot, ...] | None:
    """The recipe's site roots, else offload.yaml's; None (detect them) when neither says."""
    roots = parse_site_roots(refs.get("site_roots"), f"recipe {path.name}")
    return roots if roots is not None else config.references.site_roots


def rules_from_plan(data: dict[str, Any], config: Config) -> Rules:
    recipe = data["recipe"]
    return Rules(
        name=str(recipe["name"]), lfs=bool(recipe["select"]["lfs"]),
        plain=bool(recipe["select"]["plain"]), exclude=tuple(recipe["select"]["exclude"]),
        include=config.artifacts.include, max_bytes=config.artifacts.max_bytes,
        allow=config.artifacts.allow, key_template=str(recipe["key_template"]),
        rewrite=tuple(recipe["references"]["rewrite"]),
        report=tuple(recipe["references"]["report"]),
        site_roots=parse_site_roots(recipe["references"].get("site_roots") or [], "the plan"),
    )


def key_for(rules: Rules, path: str, sha256: str, size: int) -> str:
    """The object key of an asset; control characters in a path become ``_`` in its key."""
    from offload.keys import render_key

    safe = "".join("_" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch for ch in path)
    return render_key(rules.key_template, safe, sha256, size)
