"""``generate model3d``: hand a character's approved turnaround to the user's 3D command.

The command gets the turnaround as a file and writes a binary glTF (``.glb``); it is stored at
``characters/<name>/model/v<K>.glb`` with the source turnaround's path, version and sha256.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from offload.errors import UsageError
from offload.generate.approved import pick_turnaround
from offload.generate.command import expand, run_command, split_template
from offload.generate.names import check_character, model_dir, versioned_path
from offload.generate.provider import ProviderError
from offload.generate.references import resolve
from offload.generate.versions import claimed, store_version
from offload.isotime import now_utc
from offload.manifest import Entry
from offload.workspace import Workspace

GLB_MAGIC = b"glTF"
EXAMPLE = "my-3d-cli --image {turnaround} --out {output}"


@dataclass(frozen=True)
class ModelOptions:
    character: str
    command: str | None
    prompt: str = ""
    seed: int | None = None


def generate_model3d(ws: Workspace, opts: ModelOptions,
                     warn: Callable[[str], None] = lambda _: None) -> Entry:
    character = check_character(opts.character)
    if not opts.command:
        raise UsageError("generate model3d needs --command TEMPLATE",
                         f"pass e.g. --command '{EXAMPLE}'")
    words = split_template(opts.command, EXAMPLE)
    pick = pick_turnaround(ws.manifest.read(), character)
    if pick.warning:
        warn(pick.warning)
    source = resolve(ws, pick.entry.path, character)
    folder = model_dir(character)
    with claimed(ws, folder, None, ".glb") as version:
        with tempfile.TemporaryDirectory(prefix="offload-model3d-") as tmp:
            image, output = Path(tmp) / "turnaround.png", Path(tmp) / f"v{version}.glb"
            image.write_bytes(source.fetched.data)
            values = {"turnaround": str(image), "reference": str(image), "output": str(output),
                      "character": character, "version": str(version), "prompt": opts.prompt,
                      "seed": "" if opts.seed is None else str(opts.seed)}
            argv = expand(words, values, [str(image)])
            data = run_command(argv, output)
        if not data.startswith(GLB_MAGIC):
            raise ProviderError(f"{argv[0]} wrote {len(data)} bytes that are not a binary glTF "
                                "(.glb)", "make the command write a .glb to {output}; nothing "
                                "was recorded")
        meta = _provenance(opts, version, Path(argv[0]).name, source.record, pick.approved)
        return store_version(ws, versioned_path(folder, version, ".glb"), meta, data)


def _provenance(opts: ModelOptions, version: int, program: str, source: dict[str, Any],
                approved: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "character": opts.character,
        "version": version,
        "prompt": opts.prompt or None,
        "provider": "command",
        "model": program,
        "seed": opts.seed,
        "mode": "image-to-3d",
        "references": [source],
        "turnaround_version": source.get("version"),
        "turnaround_sha256": source["sha256"],
        "turnaround_approved": approved,
        "created_at": now_utc(),
    }
    return {k: v for k, v in meta.items() if v is not None}
