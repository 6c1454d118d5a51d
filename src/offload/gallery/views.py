"""Plain dictionaries for the templates and the JSON index: only the fields a page may show."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from offload.gallery.catalog import Catalog, Family, family_of, number_of
from offload.gallery.history import Version
from offload.gallery.links import Links, redact_url
from offload.units import human_bytes

# Provenance fields a page shows; anything else in meta stays out of pages and the JSON index.
SHOWN_META = ("prompt", "provider", "model", "seed", "mode", "views", "fix_view", "parent",
              "character")


def version_view(family: Family, version: Version, links: Links,
                 paths: dict[str, str]) -> dict[str, Any]:
    entry = version.entry
    meta = {k: entry.meta[k] for k in SHOWN_META if entry.meta.get(k) is not None}
    return {
        "label": family.label(version),
        "path": entry.path,
        "size": entry.size,
        "size_text": human_bytes(entry.size),
        "sha256": entry.sha256,
        "sha_short": entry.sha256[:12],
        "content_type": entry.content_type,
        "source": entry.source,
        "created_at": version.created_at,
        "commit": version.commit[:12] if version.commit else None,
        "current": version.current,
        "approved": version.current and entry.meta.get("approved") is True,
        "meta": meta,
        "reference": _reference(entry.meta.get("reference"), links, paths),
        "references": _references(entry.meta.get("references"), links, paths),
        "chain": [f"v{n}" for n in chain_of(family, version)],
        "thumb": links.thumb(entry.sha256),
        "full": links.full(entry),
    }


def _references(records: object, links: Links, paths: dict[str, str]
                ) -> list[dict[str, str | None]]:
    """Every reference image of a generated version (a frame's character turnarounds…)."""
    if not isinstance(records, list):
        return []
    shown = []
    for record in records:
        if isinstance(record, dict):
            found = _reference(record.get("path") or record.get("url"), links, paths)
            if found is not None:
                shown.append(found)
    return shown


def _reference(value: object, links: Links, paths: dict[str, str]) -> dict[str, str | None] | None:
    if not isinstance(value, str) or not value:
        return None
    tail = unquote(value.split("?")[0].rsplit("/", 1)[-1])
    if "://" in value and tail in paths:  # a store URL of a known version: its gallery page
        return {"text": paths[tail], "href": links.asset(family_of(paths[tail]))}
    if "://" in value:
        safe = redact_url(value)
        return {"text": safe or "(a non-web reference)", "href": safe}
    if value in paths:
        return {"text": value, "href": links.asset(family_of(value))}
    return {"text": value, "href": None}


def chain_of(family: Family, version: Version) -> list[int]:
    """Parent, grandparent, … of a numbered version (by ``meta.parent``)."""
    parents: dict[int, int] = {}
    for other in family.versions:
        number, parent = number_of(other.entry.path), other.entry.meta.get("parent")
        if number is not None and isinstance(parent, int) and number not in parents:
            parents[number] = parent
    chain: list[int] = []
    current = number_of(version.entry.path)
    while current in parents and parents[current] not in chain and parents[current] != current:
        current = parents[current]
        chain.append(current)
    return chain


def lineage(family: Family, views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest numbered version's chain, oldest step first; empty for a lone version."""
    if not family.numbered or not views:
        return []
    by_label = {v["label"]: v for v in views}
    newest = views[0]
    steps = [by_label[label] for label in reversed(newest["chain"]) if label in by_label]
    return [*steps, newest] if steps else []


def family_view(family: Family, links: Links, paths: dict[str, str]) -> dict[str, Any]:
    versions = [version_view(family, v, links, paths) for v in family.versions]
    cover = versions[family.versions.index(family.cover)]
    return {
        "id": family.id,
        "group": family.group,
        "href": links.asset(family.id),
        "versions": versions,
        "cover": cover,
        "approved": next((v["label"] for v in versions if v["approved"]), None),
        "sources": sorted(family.sources()),
        "lineage": lineage(family, versions),
    }


def catalog_views(catalog: Catalog, links: Links, text: str = "",
                  source: str = "") -> list[tuple[str, list[dict[str, Any]]]]:
    paths = all_paths(catalog)
    return [(group, [family_view(f, links, paths) for f in families])
            for group, families in catalog.grouped(text, source)]


def all_paths(catalog: Catalog) -> dict[str, str]:
    """Every version's path, and its key's last segment, mapped to the path."""
    known: dict[str, str] = {}
    for family in catalog.families:
        for version in family.versions:
            known[version.entry.key.rsplit("/", 1)[-1]] = version.entry.path
            known[version.entry.path] = version.entry.path
    return known


def totals(catalog: Catalog) -> dict[str, Any]:
    objects = {(v.entry.sha256, v.entry.size) for f in catalog.families for v in f.versions}
    size = sum(size for _, size in objects)
    return {"assets": len(catalog.families), "versions": sum(len(f.versions)
            for f in catalog.families), "bytes": size, "size_text": human_bytes(size)}
