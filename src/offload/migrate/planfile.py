"""The plan file: numbered YAML under migrations/, reviewed before the run, then its ledger."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from offload.errors import ConfigError, UsageError
from offload.safepaths import path_problem, shown

FORMAT = 1
HEADER = (
    "# offload migration plan. Review it (it lists what leaves git and which references\n"
    "# change), then run: offload migrate run {path}\n"
    "# The run writes its results under `result:` at the end of this file.\n"
)
_NUMBERED = re.compile(r"^(\d{4})-")
_REF = re.compile(r"refs/[^\x00-\x20\x7f~^:?*\[\\]+\Z")
_OID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


def next_plan_path(folder: Path, name: str) -> Path:
    numbers = [int(m.group(1)) for p in folder.glob("*.yaml") if (m := _NUMBERED.match(p.name))]
    return folder / f"{max(numbers, default=0) + 1:04d}-{name}.yaml"


def plan_name(path: Path) -> str:
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def write_plan(path: Path, data: dict[str, Any], display: str | None = None,
               header: str | None = None) -> None:
    """Replace the plan file atomically; ``header`` (with ``{path}``) opens it."""
    text = (header or HEADER).format(path=display or path.name) + _dump(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_text(path, text)


def _dump(data: dict[str, Any]) -> str:
    import yaml

    from offload.migrate.planrows import dump_rows

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper) if yaml.__with_libyaml__ \
        else yaml.SafeDumper

    def dump(value: Any) -> str:
        return yaml.dump(value, Dumper=dumper, sort_keys=False, allow_unicode=True,
                         width=100, default_flow_style=False)

    return dump_rows(data, dump)


def _write_text(path: Path, text: str) -> None:
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


def write_result(path: Path, result: dict[str, Any]) -> None:
    """Write the run's ``result`` into the plan file. The file's last section is `result:`
    (offload writes it last) and only it is replaced; the rest is kept byte for byte, so a
    run never holds the plan's reference rows. A plan edited into another order is read and
    written whole."""
    import re

    text = path.read_text(encoding="utf-8")
    found = list(re.finditer(r"^result:", text, re.M))
    tail = text[found[-1].start():] if found else ""
    if not found or re.search(r"^[A-Za-z_][A-Za-z0-9_]*:", tail[len("result:"):], re.M):
        data = read_plan(path)
        data["result"] = result
        write_plan(path, data)
        return
    _write_text(path, text[:found[-1].start()] + _dump({"result": result}))


def read_plan(path: Path, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plan file, checked; ``skip``: top-level sections left out (read as empty), for a
    step that does not need them (a run never reads the reference rows)."""
    import yaml

    try:
        from offload.migrate.planrows import load_rows

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml.__with_libyaml__ \
            else yaml.SafeLoader
        data = load_rows(path.read_text(encoding="utf-8"),
                         lambda text: yaml.load(text, Loader=loader), skip)
    except FileNotFoundError as exc:
        raise UsageError(f"no plan file at {path}",
                         "create one with `offload migrate plan`, then pass its path") from exc
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not valid YAML: {exc}",
                         "fix the plan file or make a new one with `offload migrate plan`") from exc
    if not isinstance(data, dict) or data.get("offload_migration") != FORMAT:
        raise UsageError(f"{path} is not an offload migration plan",
                         "pass a file written by `offload migrate plan`")
    _check_entries(path, data)
    return data


def _check_entries(path: Path, data: dict[str, Any]) -> None:
    """A plan may come from a branch: its name becomes a folder and a ref prefix, its refs go
    to ``git update-ref``. Object paths are only compared with history (which may hold names
    with control characters), so for them the other rules apply."""
    def refuse(entry: str, value: object, problem: str) -> None:
        raise ConfigError(f"{path}: `{entry}` {shown(value)} is refused: {problem}",
                          "make a new plan with `offload migrate plan` (and review plan files "
                          "that arrive from other branches)")

    name = data.get("name")
    if problem := path_problem(name) or ("it has a `/`" if "/" in str(name) else None):
        refuse("name", name, problem)
    for entry, ref, oid in _refs_named(data):
        if not _is_ref_name(ref):
            refuse(entry, ref, "it is not a ref name under refs/")
        if not isinstance(oid, str) or not _OID.match(oid):
            refuse(entry, oid, "it is not a commit id")
    for entry, oid in _result_commits(data):
        if oid is not None and (not isinstance(oid, str) or not _OID.match(oid)):
            refuse(entry, oid, "it is not a commit id")  # verify hands these to `git log`
    for row in _mappings(data.get("objects")):
        for item in _mappings(row.get("paths")):
            if problem := path_problem(item.get("path"), controls_ok=True):
                refuse("objects.paths", item.get("path"), problem)


def _mappings(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"a plan entry must be a list of mappings, not {shown(value)}",
                          "make a new plan with `offload migrate plan`")
    return value


def _refs_named(data: dict[str, Any]) -> list[tuple[str, object, object]]:
    """(entry, ref name, commit id) of every ref the plan gives to git."""
    refs = data.get("refs")
    original = refs.get("original") if isinstance(refs, dict) else None
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    tip = result.get("tip") if isinstance(result, dict) else None
    created = result.get("created_branches") if isinstance(result, dict) else None
    if not isinstance(original, dict) or not isinstance(created or [], list):
        raise ConfigError("the plan's refs are not a mapping of ref names to commit ids",
                          "make a new plan with `offload migrate plan`")
    named: list[tuple[str, object, object]] = [("refs.original", r, o)
                                               for r, o in original.items()]
    if isinstance(tip, dict):
        named.append(("result.tip", tip.get("ref"), tip.get("old")))
    named += [("result.created_branches", r, "0" * 40) for r in created or []]
    return named


def _result_commits(data: dict[str, Any]) -> list[tuple[str, object]]:
    """(entry, commit id or None) of every commit a run's result names."""
    result = data.get("result") if isinstance(data.get("result"), dict) else {}
    refs = result.get("refs") if isinstance(result, dict) else None
    tip = result.get("tip") if isinstance(result, dict) else None
    found: list[tuple[str, object]] = []
    if isinstance(refs, dict):
        for ref, pair in refs.items():
            if not _is_ref_name(ref) or not isinstance(pair, dict):
                found.append(("result.refs", ref))
                continue
            found += [(f"result.refs.{ref}", pair.get(side)) for side in ("old", "new")]
    elif refs is not None:
        found.append(("result.refs", refs))
    if isinstance(tip, dict):
        found.append(("result.tip.new", tip.get("new")))
    return found


def _is_ref_name(ref: object) -> bool:
    """git check-ref-format's rules, for names under refs/."""
    return (isinstance(ref, str) and _REF.match(ref) is not None and ".." not in ref
            and "@{" not in ref and "/." not in ref and "//" not in ref
            and not ref.endswith((".", ".lock", "/")))


def record_result(path: Path, key: str, value: Any) -> dict[str, Any]:
    data = read_plan(path)
    result = data.get("result") or {}
    result[key] = value
    data["result"] = result
    write_plan(path, data)
    return data
