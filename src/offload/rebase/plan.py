"""`offload rebase-urls plan`: what the rebase will rewrite and what it will leave alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.migrate.planfile import next_plan_path, plan_name
from offload.rebase.planfile import FORMAT, FORMAT_KEY, read_rebase_data, write_rebase_plan
from offload.rebase.scan import Globs, scan_history
from offload.rebase.text import Bases
from offload.workspace import Workspace

KIND = "rebase-urls"
RECIPE = "rebase-urls.yaml"


def load_recipe() -> dict[str, Any]:
    import yaml

    from offload.migrate.recipe import shipped_recipe

    data: dict[str, Any] = yaml.safe_load(shipped_recipe(RECIPE).read_text(encoding="utf-8"))
    return data


def make_plan(ws: Workspace, old: str, new: str, output: Path | None) -> tuple[Path,
                                                                              dict[str, Any]]:
    from offload.migrate.refs import selected_refs

    bases = Bases.parse(old, new)
    recipe = load_recipe()
    globs = Globs.from_recipe(recipe, ws.config)
    original = selected_refs(ws.root, "all")
    scan = scan_history(ws.root, sorted(set(original.values())), bases, globs)
    path = output or next_plan_path(ws.root / "migrations", KIND)
    data: dict[str, Any] = {
        FORMAT_KEY: FORMAT,
        "name": plan_name(path),
        "recipe": {**recipe, "references": {"rewrite": list(globs.rewrite),
                                            "report": list(globs.report)}},
        "rebase": {"from": bases.old, "to": bases.new},
        "refs": {"original": original},
        "summary": {"versions_to_rewrite": dict(sorted(scan.versions.items())),
                    "left_alone": len(scan.left)},
        "left_alone": scan.leftover_rows(),
    }
    write_rebase_plan(path, data)
    return path, data


def read_rebase_plan(path: Path) -> tuple[dict[str, Any], Bases, Globs]:
    data = read_rebase_data(path)
    bases = Bases.parse(str(data["rebase"]["from"]), str(data["rebase"]["to"]))
    refs = data["recipe"]["references"]
    return data, bases, Globs(tuple(refs["rewrite"]), tuple(refs["report"]))
