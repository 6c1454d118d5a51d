"""The ``offload`` / ``git-offload`` entry point: lazy subcommands and one error handler."""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from typing import Any

import click

from offload.cli.examples import examples
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
    "refs": "offload.cli.refs:refs",
    "approve": "offload.cli.approve:approve",
    "gallery": "offload.cli.gallery:gallery",
    "log": "offload.cli.log:log",
    "gc": "offload.cli.gc:gc",
    "rebase-urls": "offload.cli.rebase:rebase_urls",
    "doctor": "offload.cli.doctor:doctor",
    "status": "offload.cli.status:status",
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

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            if _stdout_closed():
                raise  # click exits 1 quietly: whoever read our output has gone
            # Not our stdout (a git or rclone pipe, a socket): click would hide it entirely.
            from offload.cli.unexpected import unexpected_error

            _print_traceback_if_debugging(exc)
            raise unexpected_error(exc) from exc


def _available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(COMMANDS[name].split(":")[0]) is not None


EXAMPLES = examples(
    "offload init --store rclone:r2:film-assets/prod --public-url https://pub-….r2.dev/prod",
    "offload put outputs/ --untrack",
    "offload migrate plan",
    "offload doctor")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=EXAMPLES)
@click.version_option(package_name="offload")
@click.option("-q", "--quiet", is_flag=True, help="print only errors (and the JSON with --json)")
@click.option("-v", "--verbose", is_flag=True, help="more detail, e.g. a line per file uploaded")
def cli(quiet: bool, verbose: bool) -> None:
    """offload: keep generated binaries out of git, in S3-compatible storage."""
    from offload import verbosity

    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose exclude each other")
    verbosity.set_level(verbosity.QUIET if quiet else verbosity.VERBOSE if verbose else
                        verbosity.NORMAL)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map errors to ExitCode and print the next step, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    # Where awscrt is installed (boto3[crt]) botocore signs through it, and awscrt prints the
    # traceback of a cancelled upload's read itself: offload uses the pure-Python path it is
    # tested with, unless the user chose otherwise.
    os.environ.setdefault("BOTO_DISABLE_CRT", "true")
    wants_json = "--json" in args
    if argv is None:  # the real process, not a test calling main() in-process
        _quiet_background_failures()
        _printable_stdout()
    try:
        cli.main(args=args, prog_name="offload", standalone_mode=False)
    except OffloadError as exc:
        _fail(exc, wants_json)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(int(ExitCode.USAGE))
    except Exception as exc:
        if isinstance(exc, BrokenPipeError) and _stdout_closed():
            _silence_stdout()
            sys.exit(int(ExitCode.FINDINGS))
        from offload.cli.unexpected import unexpected_error

        _print_traceback_if_debugging(exc)
        _fail(unexpected_error(exc), wants_json)
    sys.exit(int(ExitCode.OK))


def _fail(exc: OffloadError, wants_json: bool) -> None:
    """Print ``exc`` (redacted: the last line of defence for a secret in a message) and exit."""
    from offload import __version__
    from offload.cli.output import json_printed
    from offload.errors import redact
    from offload.style import error_text

    if wants_json and not json_printed():
        document = {"kind": "error", "version": __version__, **exc.to_json()}
        try:
            click.echo(redact(json.dumps(document)))
        except (OSError, ValueError):  # stdout closed or full: stderr still says why
            _silence_stdout()
    try:
        click.echo(redact(error_text(exc.message, exc.next_step)), err=True)
    except (OSError, ValueError):
        pass
    sys.exit(int(exc.exit_code))


def _debugging() -> bool:
    return os.environ.get("OFFLOAD_DEBUG", "") not in ("", "0")


def _print_traceback_if_debugging(exc: BaseException) -> None:
    if _debugging():
        from offload.errors import redact

        text = "".join(traceback.format_exception(exc))
        sys.stderr.write(redact(text))


def _stdout_closed() -> bool:
    """Whoever read our stdout has gone (``offload ls | head -1``)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), 0)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # AttributeError: no stdout at all
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _printable_stdout() -> None:
    """A file name that is not UTF-8 prints as ``\\xff`` escapes instead of failing to encode."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def _quiet_background_failures() -> None:
    """Exceptions in threads and finalisers print a one-line error, not a traceback."""
    import threading

    def thread_hook(info: threading.ExceptHookArgs) -> None:
        if info.exc_value is None or isinstance(info.exc_value, SystemExit):
            return
        _print_traceback_if_debugging(info.exc_value)
        if not _debugging():
            _background_line(info.exc_value)

    def unraisable_hook(info: Any) -> None:
        if isinstance(info.exc_value, KeyboardInterrupt):
            # Ctrl-C checked while a finaliser ran (a connection closed by the garbage
            # collector): Python drops it there, so it is delivered again to the main flow,
            # from another thread once this hook has returned (raised here, it is dropped too)
            import _thread

            threading.Timer(0.05, _thread.interrupt_main).start()
            return
        if _debugging() and info.exc_value is not None:
            _print_traceback_if_debugging(info.exc_value)

    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable_hook


def _background_line(exc: BaseException) -> None:
    from offload.cli.unexpected import unexpected_error

    try:
        sys.stderr.write(f"warning: a background task failed: {unexpected_error(exc).message}\n")
    except (OSError, ValueError):
        pass
