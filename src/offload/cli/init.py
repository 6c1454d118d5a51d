from __future__ import annotations

import click

from offload.cli.output import emit_json, json_option


@click.command()
@click.option("--store", help="s3://bucket/prefix, rclone:REMOTE:bucket/prefix or a path")
@click.option("--public-url", help="base of public URLs, e.g. https://pub-….r2.dev/prod")
@click.option("--force", is_flag=True, help="overwrite an existing offload.yaml")
@json_option
def init(store: str | None, public_url: str | None, force: bool, as_json: bool) -> None:
    """Write offload.yaml and ignore .offload/ (in .git/info/exclude)."""
    from offload.config.load import load_config
    from offload.git.repo import find_repo
    from offload.ops.init import write_config

    repo = find_repo()
    path = write_config(repo, store, public_url, force)
    load_config(repo)  # what we wrote must parse
    if as_json:
        emit_json({"config": str(path)})
        return
    click.echo(f"wrote {path}")
    click.echo("next steps:")
    click.echo("  git add offload.yaml && git commit -m 'offload configuration'")
    click.echo("  offload put PATH…            # upload files and record them in offload.lock")
    click.echo("  offload hook install         # block artifacts at commit time")
    click.echo("  offload migrate plan         # inventory LFS history for migration")
