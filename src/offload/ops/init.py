"""Writing a fresh offload.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from offload.config.load import CONFIG_NAME
from offload.errors import UsageError
from offload.git.repo import RepoPaths

# Lists stay on one line: the commit hook's fast reader takes flow lists line by line.
TEMPLATE = """\
# offload configuration: see README.md
{store_line}
{public_line}
{s3_block}key_template: "{{dir}}/{{stem}}.{{sha256:12}}{{ext}}"
artifacts:
  include: {include}
  max_bytes: 1048576
  allow: []
watch:
  paths: ["outputs/"]
references:
  rewrite: {rewrite}
  report: {report}
"""
R2_ENDPOINT = "https://<account>.r2.cloudflarestorage.com"


def render_config(store: str | None, public_url: str | None, endpoint_url: str | None) -> str:
    from offload.config.model import ArtifactRules, ReferenceRules

    store_line = (f"store: {json.dumps(store)}" if store
                  else "# store: rclone:r2:film-assets/prod   (default: the embedded local store)")
    public_line = (f"public_url: {json.dumps(public_url)}" if public_url
                   else "# public_url: https://pub-….r2.dev/prod")
    s3_block = ""
    if (store or "").startswith("s3://") or endpoint_url:
        endpoint = (f"  endpoint_url: {json.dumps(endpoint_url)}" if endpoint_url
                    else f"  # endpoint_url: {R2_ENDPOINT}   # Cloudflare R2 needs it")
        s3_block = (f"s3:\n{endpoint}\n  region: auto   # R2; an AWS bucket: its region\n"
                    f"  # R2 example: endpoint_url: {R2_ENDPOINT}, keys in AWS_ACCESS_KEY_ID /"
                    " AWS_SECRET_ACCESS_KEY\n")
    return TEMPLATE.format(store_line=store_line, public_line=public_line, s3_block=s3_block,
                           include=_flow(ArtifactRules.include),
                           rewrite=_flow(ReferenceRules.rewrite),
                           report=_flow(ReferenceRules.report))


def _flow(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def write_config(repo: RepoPaths, store: str | None, public_url: str | None,
                 force: bool, endpoint_url: str | None = None) -> Path:
    """Write offload.yaml once what it says has been validated (nothing written otherwise)."""
    from offload.config.load import load_config

    target = repo.toplevel / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists",
                         "edit it by hand, or run `offload init --force` to overwrite it")
    text = render_config(store, public_url, endpoint_url)
    previous = target.read_bytes() if target.exists() else None
    target.write_text(text, encoding="utf-8")
    try:
        config = load_config(repo)
        from offload.store.factory import open_backend

        open_backend(config, repo)  # an unknown rclone remote or bad store form stops here
    except BaseException:
        if previous is None:
            target.unlink()
        else:
            target.write_bytes(previous)
        raise
    _exclude_locally(repo, ".offload/")
    return target


def store_reachable(repo: RepoPaths) -> tuple[bool, str]:
    """(reachable, what was seen) for a remote store; one bounded metadata request."""
    from offload.config.load import load_config
    from offload.errors import OffloadError
    from offload.store.factory import open_backend

    backend = open_backend(load_config(repo), repo)
    try:
        backend.head(".offload-init-probe")
    except OffloadError as exc:
        return False, exc.message
    return True, backend.description


def _exclude_locally(repo: RepoPaths, pattern: str) -> None:
    """Ignore offload's private folder in this clone only (``info/exclude``).

    init never edits a tracked file, so a fresh clone stays clean for `offload migrate run`.
    """
    exclude = repo.common_dir / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    existing = exclude.read_bytes() if exclude.exists() else b""
    if pattern.encode() in existing.splitlines():
        return
    with open(exclude, "ab") as handle:
        if existing and not existing.endswith(b"\n"):
            handle.write(b"\n")
        handle.write(pattern.encode() + b"\n")
