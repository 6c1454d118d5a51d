"""Every command's --help ends with examples; `offload watch --help` shows watch's options."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

from offload.cli.main import cli
from testing.cli import run_offload


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The root and every command and subcommand under it, as argument tuples."""
    if not prefix:
        yield ()
    ctx = click.Context(group, info_name=" ".join(("offload", *prefix)))
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


def example_lines(help_text: str) -> list[str]:
    """The ``offload …`` lines of the help's ``Examples:`` block (none when there is no block)."""
    lines = [line.strip() for line in help_text.splitlines()]
    if "Examples:" not in lines:
        return []
    return [line for line in lines[lines.index("Examples:") + 1:] if line.startswith("offload ")]


def test_every_help_has_an_example() -> None:
    paths = list(command_paths(cli))
    assert ("migrate", "run") in paths and ("watch", "stop") in paths and len(paths) > 40
    runner = CliRunner()
    missing = []
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"], prog_name="offload")
        assert result.exit_code == 0, (path, result.output)
        own = " ".join(("offload", *path[:1]))  # at least one example uses the command itself
        if not any(line.startswith(own) for line in example_lines(result.output)):
            missing.append(" ".join(path) or "(root)")
    assert missing == []


def test_watch_help_lists_its_options(tmp_path: Path) -> None:
    result = run_offload("watch", "--help", cwd=tmp_path)
    assert result.rc == 0, result.output
    options = result.stdout.split("Commands:")[0]
    for flag in ("--daemon", "--once", "--poll"):
        assert f"  {flag} " in options, flag
    assert "offload watch outputs/ --daemon" in example_lines(result.stdout)[1]
