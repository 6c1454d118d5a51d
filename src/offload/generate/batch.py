"""``generate frame --from shots.yaml``: every shot of a list, ``--jobs`` at a time.

Each shot runs as its own ``offload generate frame`` process, so a shot claims its version
exactly as a lone run does and one failing shot cannot stop the others. Without ``--again`` a
shot whose prompt, size and references already produced a version is skipped.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.generate.frame import FrameOptions

SHOT_TIMEOUT = 900  # seconds; a provider's own timeout is shorter
_FIELDS = {"scene", "shot", "prompt", "characters", "references", "size"}


@dataclass(frozen=True)
class Outcome:
    shot: FrameOptions  # the shot as the list gave it
    status: str  # "generated", "skipped" or "failed"
    path: str | None = None
    url: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        record = {"scene": self.shot.scene, "shot": self.shot.shot, "status": self.status,
                  "path": self.path, "url": self.url, "error": self.error,
                  "warnings": list(self.warnings)}
        return {k: v for k, v in record.items() if v is not None}


def load_shots(path: Path) -> list[FrameOptions]:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read the shot list {path}: {exc}",
                         "pass a YAML file with a list of shots") from exc
    if isinstance(raw, dict) and "shots" in raw:
        raw = raw["shots"]
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path} holds no list of shots",
                         "write e.g. `- {scene: 3, shot: 2, prompt: ..., characters: [mira]}`")
    return [_shot(item, number, path) for number, item in enumerate(raw, 1)]


def _shot(item: Any, number: int, path: Path) -> FrameOptions:
    where = f"shot #{number} of {path}"
    if not isinstance(item, dict) or not {"scene", "shot", "prompt"} <= set(item):
        raise UsageError(f"{where} needs scene, shot and prompt",
                         "give each shot `scene`, `shot` and `prompt`")
    unknown = sorted(set(map(str, item)) - _FIELDS)
    if unknown:
        raise UsageError(f"{where} has unknown fields {', '.join(unknown)}",
                         f"use only {', '.join(sorted(_FIELDS))}")
    lists = {k: item.get(k) or [] for k in ("characters", "references")}
    if not all(isinstance(v, list) and all(isinstance(x, str) for x in v)
               for v in lists.values()):
        raise UsageError(f"{where}: characters and references must be lists of names",
                         "write e.g. `characters: [mira, ken]`")
    size = item.get("size")
    return FrameOptions(str(item["scene"]), str(item["shot"]), str(item["prompt"]),
                        tuple(lists["characters"]), tuple(lists["references"]),
                        None if size is None else str(size))


def run_shots(cwd: Path, shots: list[FrameOptions], common: list[str], jobs: int, again: bool,
              report: Callable[[Outcome], None]) -> list[Outcome]:
    """Every shot, ``jobs`` at a time; ``report`` hears of each as it finishes."""
    if jobs < 1:
        raise UsageError("--jobs must be 1 or more", "pass e.g. --jobs 4")

    def one(shot: FrameOptions) -> Outcome:
        outcome = _run(cwd, shot, common + ([] if again else ["--unless-done"]))
        report(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, shots))


def _run(cwd: Path, shot: FrameOptions, common: list[str]) -> Outcome:
    argv = [sys.executable, "-m", "offload", "generate", "frame", "--scene", shot.scene,
            "--shot", shot.shot, "--prompt", shot.prompt, "--json", *common]
    for name in shot.characters:
        argv += ["--character", name]
    for target in shot.references:
        argv += ["--reference", target]
    if shot.size is not None:
        argv += ["--size", shot.size]
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                              timeout=SHOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return Outcome(shot, "failed", error=f"gave no answer within {SHOT_TIMEOUT} s")
    warnings = tuple(line.removeprefix("warning: ") for line in proc.stderr.splitlines()
                     if line.startswith("warning: "))
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
        error = lines[-1].removeprefix("error: ") if lines else f"exit {proc.returncode}"
        return Outcome(shot, "failed", error=error, warnings=warnings)
    record = json.loads(proc.stdout)
    status = "skipped" if record.get("skipped") else "generated"
    return Outcome(shot, status, record.get("path"), record.get("url"), warnings=warnings)
