"""offload hook install / uninstall."""

from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option

HOOKS = ["pre-commit", "pre-push"]


@click.group(epilog=examples(
    "offload hook install --pre-push",
    "offload hook uninstall"))
def hook() -> None:
    """Install or remove the git hooks that run `offload check`."""


@hook.command(epilog=examples(
    "offload hook install",
    "offload hook install --pre-push"))
@click.option("--pre-push", "pre_push", is_flag=True,
              help="also install the pre-push hook (checks every commit being pushed)")
@json_option
def install(pre_push: bool, as_json: bool) -> None:
    """Install the hooks for this repository and all its worktrees."""
    from offload.git.repo import find_repo
    from offload.guard.install import install as install_hooks

    report = install_hooks(find_repo(), HOOKS if pre_push else HOOKS[:1])
    _show(report, as_json)


@hook.command(epilog=examples(
    "offload hook uninstall"))
@json_option
def uninstall(as_json: bool) -> None:
    """Remove offload's hooks (only those), restoring any hook they replaced."""
    from offload.git.repo import find_repo
    from offload.guard.install import uninstall as uninstall_hooks

    _show(uninstall_hooks(find_repo(), HOOKS), as_json)


def _show(report: list[str], as_json: bool) -> None:
    if as_json:
        emit_json({"actions": report})
        return
    for line in report:
        click.echo(line)
