"""offload watch [PATH…] [--daemon] [--once] [--poll], watch status, watch stop (SPEC §7)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option
from offload.verbosity import quiet

SUBCOMMANDS = ("run", "status", "stop")
DAY = 86_400
NOT_RUNNING = 3  # `watch status` with no daemon: the LSB / `systemctl status` convention


def _finite(_ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """click's FloatRange lets NaN through (every comparison with it is false)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number", param=param)
    return value


class _WatchGroup(click.Group):
    """``offload watch [PATH…]`` means ``offload watch run [PATH…]``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in SUBCOMMANDS and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["[PATH]... [OPTIONS]", "|", *super().collect_usage_pieces(ctx)[1:]]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``watch --help`` shows the options of ``watch run``: they are given to ``watch``."""
        records = [r for p in self.commands["run"].get_params(ctx)
                   if isinstance(p, click.Option) and (r := p.get_help_record(ctx))]
        with formatter.section("Options (offload watch [PATH]... means offload watch run)"):
            formatter.write_dl(records)
        self.format_commands(ctx, formatter)


@click.group(cls=_WatchGroup, epilog=examples(
    "offload watch                       # watch.paths of offload.yaml, until Ctrl-C",
    "offload watch outputs/ --daemon     # in the background",
    "offload watch --once --poll         # upload what is pending, then exit",
    "offload watch status",
    "offload watch stop"))
def watch() -> None:
    """Upload every finished file that appears in the watched folders."""


@watch.command(epilog=examples(
    "offload watch run outputs/ renders/ --daemon",
    "offload watch run --once --poll"))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--daemon", is_flag=True, help="detach; pid and log files live under the git dir")
@click.option("--once", is_flag=True, help="rescan, upload what is pending, then exit")
@click.option("--poll", is_flag=True, help="poll instead of inotify (network filesystems)")
@click.option("--create", is_flag=True, help="create watched folders that do not exist")
@click.option("--settle-ms", type=click.IntRange(min=0, max=3600 * 1000),
              help="quiet time before upload [300]")
@click.option("--max-wait", type=click.FloatRange(min=0, max=DAY), callback=_finite,
              help="seconds before a file that keeps changing (but is not open for writing) "
              "is uploaded anyway [60]")
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=256), help="parallel uploads [8]")
@click.option("--rescan-interval", type=click.FloatRange(min=1, max=DAY), callback=_finite,
              help="seconds [300]")
@json_option
def run(paths: tuple[Path, ...], daemon: bool, once: bool, poll: bool, create: bool,
        settle_ms: int | None, max_wait: float | None, jobs: int | None,
        rescan_interval: float | None, as_json: bool) -> None:
    """Watch folders (default: watch.paths of offload.yaml) and upload finished files."""
    from offload.watch.settings import load_watch_settings
    from offload.watch.start import resolve_roots
    from offload.workspace import Workspace

    ws = Workspace.discover()
    settings = load_watch_settings(ws.config).override(
        settle=None if settle_ms is None else settle_ms / 1000, max_wait=max_wait, jobs=jobs,
        rescan_interval=rescan_interval)
    roots = resolve_roots(ws, list(paths), create)
    if daemon:
        from offload.watch.start import start_daemon

        flags = [f for f, on in (("--poll", poll), ("--once", once)) if on]
        for name, value in (("--settle-ms", settle_ms), ("--max-wait", max_wait),
                            ("--jobs", jobs), ("--rescan-interval", rescan_interval)):
            if value is not None:
                flags += [name, str(value)]
        pid, log = start_daemon(ws, roots, flags)
        if as_json:
            emit_json({"pid": pid, "log": str(log)})
        else:
            click.echo(f"watch daemon started (pid {pid}); log: {log}")
        return
    from offload.watch.start import run_foreground

    tally = run_foreground(ws, roots, settings, poll=poll, once=once)
    if once:
        if as_json:
            emit_json({"uploaded": tally.done, "summary": tally.to_json()})
        elif not quiet():
            click.echo(tally.line("watch"))


@watch.command(epilog=examples(
    "offload watch status",
    "offload watch status --json"))
@json_option
def status(as_json: bool) -> None:
    """Running or not, queue depth, uploads, failures with reasons, last upload, store.

    Exits 3 when no daemon runs in this worktree (as `systemctl status` does).
    """
    from offload.watch.status import collect_status, render_status
    from offload.workspace import Workspace

    info: dict[str, Any] = collect_status(Workspace.discover())
    if as_json:
        emit_json(info)
    else:
        click.echo(render_status(info))
    if not info["running"]:
        raise SystemExit(NOT_RUNNING)


@watch.command(epilog=examples(
    "offload watch stop",
    "offload watch stop --timeout 30"))
@click.option("--timeout", default=120.0, show_default=True, help="seconds to wait for the drain")
@json_option
def stop(timeout: float, as_json: bool) -> None:
    """Let in-flight uploads finish, then stop this worktree's daemon."""
    from offload.watch.start import stop_daemon
    from offload.workspace import Workspace

    pid, message = stop_daemon(Workspace.discover(), timeout)
    if as_json:
        emit_json({"stopped": pid is not None, "pid": pid, "message": message})
    elif not quiet():
        click.echo(message)
