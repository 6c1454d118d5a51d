"""The rebase plan file: YAML under migrations/, reviewed before the run, then its ledger.

Its format key differs from a migration plan's, so `offload migrate …` refuses it cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offload.errors import UsageError

FORMAT_KEY = "offload_rebase_urls"
FORMAT = 1
HEADER = (
    "# offload URL rebase plan. Review it (file versions rewritten, mentions left alone),\n"
    "# then run: offload rebase-urls run {path}\n"
    "# The run writes its results under `result:` at the end of this file.\n"
)


def write_rebase_plan(path: Path, data: dict[str, Any]) -> None:
    from offload.migrate.planfile import write_plan

    write_plan(path, data, header=HEADER)


def read_rebase_data(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"no plan file at {path}",
                         "make one with `offload rebase-urls plan --from OLD --to NEW`") from exc
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}",
                         "fix the plan file or make a new one with `offload rebase-urls plan`"
                         ) from exc
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT:
        raise UsageError(f"{path} is not a rebase-urls plan",
                         "make one with `offload rebase-urls plan --from OLD --to NEW`")
    return data
