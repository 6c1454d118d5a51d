"""offload doctor: is this repository, its store and this machine ready?"""

from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option

MARKS = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


@click.command(epilog=examples(
    "offload doctor",
    "offload doctor --json"))
@json_option
def doctor(as_json: bool) -> None:
    """Check the configuration, credentials, store, public URLs, hooks and watch set-up.

    Each line is ok, warn or fail with the fix; exit 1 when any check fails. The store check
    writes, reads back and deletes a small probe under `.offload-doctor/`.

    \b
    Example:
      offload doctor
      offload doctor --json | jq '.checks[] | select(.status != "ok")'
    """
    from offload import __version__
    from offload.errors import ExitCode
    from offload.ops.doctor.run import run_checks

    checks, where = run_checks()
    failed = [c for c in checks if c.status == "fail"]
    if as_json:
        emit_json({"kind": "doctor", "ok": not failed, "store": where,
                   "checks": [c.to_json() for c in checks]})
    else:
        click.echo(f"offload doctor (offload {__version__}) — {where}")
        for check in checks:
            click.echo(f"{MARKS[check.status]}  {check.name}: {check.detail}")
            if check.fix and check.status != "ok":
                click.echo(f"        fix: {check.fix}")
        warned = sum(c.status == "warn" for c in checks)
        click.echo(f"{len(failed)} failed, {warned} warning(s), "
                   f"{len(checks) - len(failed) - warned} ok")
    if failed:
        raise SystemExit(int(ExitCode.FINDINGS))
