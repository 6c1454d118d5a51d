"""The rebase plan file: YAML under migrations/, reviewed before the run, then its ledger.

Its format key differs from a migration plan's, so `offload migrate …` refuses it cleanly."""

from __future__ import annotations

import os
import tempfile
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
    import yaml

    text = HEADER.format(path=path.name) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
