"""HTML pages from the Jinja2 templates shipped in this package."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2

from offload.gallery.catalog import Catalog, Family
from offload.gallery.links import Links
from offload.gallery.views import all_paths, catalog_views, family_view, totals
from offload.manifest import SOURCES

EAGER_THUMBNAILS = 48  # the first cards load at once; the rest as they scroll into view


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("offload.gallery", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_index(catalog: Catalog, links: Links, query: str = "", source: str = "") -> str:
    groups = catalog_views(catalog, links, query, source)
    position = 0
    for _, families in groups:
        for family in families:
            position += 1
            family["eager"] = position <= EAGER_THUMBNAILS
    return environment().get_template("index.html").render(
        links=links, groups=groups, totals=totals(catalog), query=query, source=source,
        sources=SOURCES, shown=position,
    )


def render_asset(catalog: Catalog, family: Family, links: Links, token: str | None = None,
                 pick: tuple[str, str] = ("", "")) -> str:
    view = family_view(family, links, all_paths(catalog))
    versions = view["versions"]
    by_label = {v["label"]: v for v in versions}
    first = by_label.get(pick[0]) or versions[0]
    second = by_label.get(pick[1]) or (versions[1] if len(versions) > 1 else versions[0])
    return environment().get_template("asset.html").render(
        links=links, f=view, a=first, b=second, token=token, approve_url=links.approve(),
        compare_action=links.asset(family.id).split("?")[0] if links.live else "",
    )


def index_json(catalog: Catalog, links: Links) -> str:
    """The JSON index: totals and every family with its versions (shown fields only)."""
    groups = catalog_views(catalog, links)
    payload: dict[str, Any] = {
        "totals": totals(catalog),
        "assets": [family for _, families in groups for family in families],
    }
    return json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True)
