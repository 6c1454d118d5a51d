"""Writing a fresh offload.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from offload.config.load import CONFIG_NAME
from offload.errors import UsageError
from offload.git.repo import RepoPaths

TEMPLATE = """\
# offload configuration: see README.md
{store_line}
{public_line}
key_template: "{{dir}}/{{stem}}.{{sha256:12}}{{ext}}"
artifacts:
  include: ["*.png", "*.jpg", "*.jpeg", "*.webp", "*.gif", "*.mp4", "*.mov", "*.glb",
            "*.fbx", "*.exr", "*.psd", "*.wav"]
  max_bytes: 1048576
  allow: []
watch:
  paths: ["outputs/"]
references:
  rewrite: ["*.md", "*.markdown", "*.html", "*.htm", "*.css", "*.json", "*.yaml", "*.yml"]
  report: ["*.py", "*.js", "*.ts", "*.sh", "*.txt", "*.toml", "*.ipynb"]
"""


def write_config(repo: RepoPaths, store: str | None, public_url: str | None,
                 force: bool) -> Path:
    target = repo.toplevel / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists",
                         "edit it by hand, or run `offload init --force` to overwrite it")
    store_line = (f"store: {json.dumps(store)}" if store
                  else "# store: rclone:r2:film-assets/prod   (default: the embedded local store)")
    public_line = (f"public_url: {json.dumps(public_url)}" if public_url
                   else "# public_url: https://pub-….r2.dev/prod")
    target.write_text(TEMPLATE.format(store_line=store_line, public_line=public_line),
                      encoding="utf-8")
    _exclude_locally(repo, ".offload/")
    return target


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
