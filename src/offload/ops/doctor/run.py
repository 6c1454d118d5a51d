"""Run every check group in order; later groups are skipped when the configuration is invalid."""

from __future__ import annotations

from pathlib import Path

from offload.errors import OffloadError, redact
from offload.ops.doctor import Check
from offload.workspace import Workspace


def run_checks(cwd: Path | None = None) -> tuple[list[Check], str]:
    """(checks, what was checked) for the repository containing ``cwd``."""
    from offload.config.load import load_config
    from offload.git.repo import find_repo
    from offload.ops.doctor.credentials import check_credentials
    from offload.ops.doctor.local import check_hooks, check_inotify, check_watch
    from offload.ops.doctor.probe import check_store

    repo = find_repo(cwd)
    checks: list[Check] = []
    try:
        config = load_config(repo)
    except OffloadError as exc:
        checks.append(Check("configuration", "fail", redact(exc.message), exc.next_step))
        checks.append(check_hooks(repo))
        return checks, str(repo.toplevel)
    source = str(config.source) if config.source else "none (defaults: the embedded local store)"
    checks.append(Check("configuration", "ok", f"valid: {source}"))
    ws = Workspace(repo=repo, config=config)
    try:
        where = ws.backend.description
    except OffloadError as exc:
        checks.append(Check("store", "fail", redact(exc.message), exc.next_step))
        where = "store"
    else:
        checks.append(check_credentials(ws))
        checks.extend(check_store(ws))
    checks.append(check_hooks(repo))
    checks.append(check_watch(ws))
    checks.append(check_inotify(ws))
    return [_redacted(c) for c in checks], redact(where)


def _redacted(check: Check) -> Check:
    return Check(check.name, check.status, redact(check.detail), redact(check.fix))
