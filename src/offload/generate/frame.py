"""``generate frame``: a storyboard frame from characters' turnarounds and other references."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from offload.errors import UsageError
from offload.generate.approved import pick_turnaround
from offload.generate.names import frame_dir, version_in, versioned_path
from offload.generate.prompt import frame_instruction
from offload.generate.provider import ImageRequest, get_provider
from offload.generate.references import Resolved, resolve
from offload.generate.versions import claimed, store_version
from offload.isotime import now_utc
from offload.manifest import Entry
from offload.workspace import Workspace

_SIZE = re.compile(r"^(\d{2,5})[xX](\d{2,5})$")
MIN_SIDE, MAX_SIDE = 64, 4096


@dataclass(frozen=True)
class FrameOptions:
    scene: str
    shot: str
    prompt: str
    characters: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    size: str | None = None
    provider: str = "placeholder"
    model: str | None = None
    seed: int | None = None
    command: str | None = None
    unless_done: bool = False  # skip when a version has the same prompt, size and references

    @property
    def name(self) -> str:
        return f"scene {self.scene} shot {self.shot}"


@dataclass(frozen=True)
class Frame:
    entry: Entry
    warnings: tuple[str, ...]
    skipped: bool = False


def generate_frame(ws: Workspace, opts: FrameOptions,
                   warn: Callable[[str], None] = lambda _: None) -> Frame:
    """Warnings go to ``warn`` as soon as they are known (before the model runs), and back."""
    folder = frame_dir(opts.scene, opts.shot)
    if not opts.prompt.strip():
        raise UsageError("the prompt is empty", "pass --prompt TEXT")
    size = parse_size(opts.size)
    provider = get_provider(opts.provider, opts.command)
    entries = ws.manifest.read()
    picks = [pick_turnaround(entries, name) for name in dict.fromkeys(opts.characters)]
    warnings = tuple(p.warning for p in picks if p.warning)
    for warning in warnings:
        warn(warning)
    others = list(dict.fromkeys(opts.references))
    resolved = [resolve(ws, p.entry.path, p.character) for p in picks]
    resolved += [resolve(ws, target) for target in others]
    inputs = inputs_sha256(opts.prompt, size, [r.record["sha256"] for r in resolved])
    done = _done_before(entries, folder, inputs) if opts.unless_done else None
    if done is not None:
        return Frame(done, warnings, skipped=True)
    seed = 0 if opts.seed is None and provider.name == "placeholder" else opts.seed
    title = opts.name
    with claimed(ws, folder) as version:
        request = ImageRequest(
            instruction=frame_instruction(title, opts.prompt, [p.character for p in picks],
                                          len(others), size),
            prompt=opts.prompt, character=",".join(p.character for p in picks),
            version=version, views=(), references=tuple(r.reference for r in resolved),
            seed=seed, model=opts.model, title=title, size=size)
        png = provider.generate(request)
        meta = _provenance(opts, request, provider.name, provider.model_name(opts.model),
                           resolved)
        meta["inputs_sha256"] = inputs
        entry = store_version(ws, versioned_path(folder, version), meta, png)
    return Frame(entry, warnings)


def inputs_sha256(prompt: str, size: tuple[int, int] | None, references: list[str]) -> str:
    """What makes two frames "the same request": prompt, size and reference images, in order."""
    text = json.dumps({"prompt": prompt.strip(), "size": list(size) if size else None,
                       "references": references}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _done_before(entries: dict[str, Entry], folder: str, inputs: str) -> Entry | None:
    done = [(n, e) for path, e in entries.items() if (n := version_in(folder, path)) is not None
            and e.meta.get("inputs_sha256") == inputs]
    return max(done, key=lambda pair: pair[0])[1] if done else None


def parse_size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = _SIZE.match(text.strip())
    sides = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in sides):
        raise UsageError(f"--size {text!r} is not WIDTHxHEIGHT in pixels",
                         f"pass e.g. --size 1280x720 (each side {MIN_SIDE} to {MAX_SIDE})")
    return sides


def _provenance(opts: FrameOptions, request: ImageRequest, provider: str, model: str | None,
                resolved: list[Resolved]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "scene": opts.scene,
        "shot": opts.shot,
        "version": request.version,
        "prompt": request.prompt,
        "characters": [r.record["character"] for r in resolved if "character" in r.record],
        "references": [r.record for r in resolved],
        "size": f"{request.size[0]}x{request.size[1]}" if request.size else None,
        "provider": provider,
        "model": model,
        "seed": request.seed,
        "mode": "image-to-image" if resolved else "text-to-image",
        "created_at": now_utc(),
    }
    return {k: v for k, v in meta.items() if v is not None and v != []}
