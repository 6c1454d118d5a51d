"""The ``offload`` / ``git-offload`` entry point: lazy subcommands and one error handler."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import click

from offload.errors import ExitCode, OffloadError

# name -> "module:attribute"; modules are imported only when their command runs.
COMMANDS: dict[str, str] = {
    "init": "offload.cli.init:init",
    "put": "offload.cli.assets:put",
    "get": "offload.cli.assets:get",
    "pull": "offload.cli.assets:pull",
    "ls": "offload.cli.assets:ls",
    "url": "offload.cli.assets:url",
    "verify": "offload.cli.assets:verify",
    "serve": "offload.cli.serve:serve",
    "migrate": "offload.cli.migrate:migrate",
    "demo": "offload.cli.demo:demo",
    "check": "offload.cli.check:check",
    "fix": "offload.cli.check:fix",
    "hook": "offload.cli.hook:hook",
    "watch": "offload.cli.watch:watch",
    "generate": "offload.cli.generate:generate",
    "log": "offload.cli.log:log",
    "gc": "offload.cli.gc:gc",
    "rebase-urls": "offload.cli.rebase:rebase_urls",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        command: click.Command = getattr(module, attr)
        return command


def _available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(COMMANDS[name].split(":")[0]) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="offload")
def cli() -> None:
    """offload: keep generated binaries out of git, in S3-compatible storage."""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors to ExitCode and print the next step."""
    args = sys.argv[1:] if argv is None else argv
    wants_json = "--json" in args
    try:
        cli.main(args=args, prog_name="offload", standalone_mode=False)
    except OffloadError as exc:
        _report(exc, wants_json)
        sys.exit(int(exc.exit_code))
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    sys.exit(int(ExitCode.OK))


def _report(exc: OffloadError, wants_json: bool) -> None:
    if wants_json:
        payload: dict[str, Any] = exc.to_json()
        click.echo(json.dumps(payload))
    click.echo(exc.render(), err=True)
