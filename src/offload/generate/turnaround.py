"""``generate turnaround``: validate, fetch the reference, claim a version, generate, store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from offload.errors import UsageError
from offload.generate.fetch import Fetched
from offload.generate.names import (
    character_of,
    check_character,
    parse_views,
    turnaround_dir,
    turnaround_path,
    version_of,
)
from offload.generate.prompt import build_instruction, check_fix_view
from offload.generate.provider import ImageRequest, get_provider
from offload.generate.references import Resolved, resolve
from offload.generate.versions import claimed, store_version
from offload.isotime import now_utc
from offload.manifest import Entry
from offload.workspace import Workspace


@dataclass(frozen=True)
class TurnaroundOptions:
    character: str
    prompt: str
    version: int | None = None
    reference: str | None = None
    fix_view: str | None = None
    views: str | None = None
    provider: str = "placeholder"
    model: str | None = None
    seed: int | None = None
    command: str | None = None


def generate_turnaround(ws: Workspace, opts: TurnaroundOptions) -> Entry:
    character = check_character(opts.character)
    if not opts.prompt.strip():
        raise UsageError("the prompt is empty",
                         "pass --prompt TEXT or a --prompt-file that contains the prompt")
    views = parse_views(opts.views)
    check_fix_view(opts.fix_view, opts.reference is not None)
    if opts.fix_view is not None and opts.fix_view not in views:
        raise UsageError(f"--fix-view {opts.fix_view} is not one of --views {','.join(views)}",
                         "add that view to --views or pick another --fix-view")
    provider = get_provider(opts.provider, opts.command)
    resolved = resolve(ws, opts.reference) if opts.reference is not None else None
    reference = resolved.reference if resolved is not None else None
    seed = 0 if opts.seed is None and provider.name == "placeholder" else opts.seed
    with claimed(ws, turnaround_dir(character), opts.version) as version:
        request = ImageRequest(
            instruction=build_instruction(character, opts.prompt, views, reference is not None,
                                          opts.fix_view),
            prompt=opts.prompt, character=character, version=version, views=views,
            references=(reference,) if reference else (), seed=seed, model=opts.model,
            fix_view=opts.fix_view,
        )
        png = provider.generate(request)
        meta = _provenance(request, provider.name, provider.model_name(opts.model), resolved,
                           opts.fix_view)
        return store_version(ws, turnaround_path(character, version), meta, png)


def _provenance(request: ImageRequest, provider: str, model: str | None,
                resolved: Resolved | None, fix_view: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "character": request.character,
        "version": request.version,
        "views": list(request.views),
        "prompt": request.prompt,
        "provider": provider,
        "model": model,
        "seed": request.seed,
        "mode": "image-to-image" if resolved is not None else "text-to-image",
        "created_at": now_utc(),
    }
    if resolved is not None:
        # ``reference`` and ``reference_sha256`` stay for readers that know one reference
        meta["reference"] = resolved.fetched.origin
        meta["reference_sha256"] = resolved.record["sha256"]
        meta["references"] = [resolved.record]
        meta["parent"] = parent_version(resolved.fetched, request.character)
        meta["fix_view"] = fix_view
    return {k: v for k, v in meta.items() if v is not None}


def parent_version(fetched: Fetched, character: str) -> int | None:
    """The reference's version when it is one of this character's turnarounds."""
    for where in (fetched.entry.path if fetched.entry else None, fetched.key, fetched.origin):
        if where and character_of(where) == character:
            number = version_of(where)
            if number is not None:
                return number
    return None
