"""The plan file: numbered YAML under migrations/, reviewed before the run, then its ledger."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from offload.errors import UsageError

FORMAT = 1
HEADER = (
    "# offload migration plan. Review it (it lists what leaves git and which references\n"
    "# change), then run: offload migrate run {path}\n"
    "# The run writes its results under `result:` at the end of this file.\n"
)
_NUMBERED = re.compile(r"^(\d{4})-")


def next_plan_path(folder: Path, name: str) -> Path:
    numbers = [int(m.group(1)) for p in folder.glob("*.yaml") if (m := _NUMBERED.match(p.name))]
    return folder / f"{max(numbers, default=0) + 1:04d}-{name}.yaml"


def plan_name(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def write_plan(path: Path, data: dict[str, Any], display: str | None = None) -> None:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if yaml.__with_libyaml__ \
        else yaml.SafeDumper
    text = HEADER.format(path=display or path.name) + yaml.dump(
        data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
        default_flow_style=False)
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


def read_plan(path: Path) -> dict[str, Any]:
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml.__with_libyaml__ \
            else yaml.SafeLoader
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except FileNotFoundError as exc:
        raise UsageError(f"no plan file at {path}",
                         "create one with `offload migrate plan`, then pass its path") from exc
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}",
                         "fix the plan file or make a new one with `offload migrate plan`") from exc
    if not isinstance(data, dict) or data.get("offload_migration") != FORMAT:
        raise UsageError(f"{path} is not an offload migration plan",
                         "pass a file written by `offload migrate plan`")
    return data


def record_result(path: Path, key: str, value: Any) -> dict[str, Any]:
    data = read_plan(path)
    result = data.get("result") or {}
    result[key] = value
    data["result"] = result
    write_plan(path, data)
    return data
