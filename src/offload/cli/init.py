from __future__ import annotations

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option


@click.command(epilog=examples(
    "offload init",
    "offload init --store rclone:r2:film-assets/prod --public-url https://pub-….r2.dev/prod",
    "offload init --store s3://film-assets/prod \\",
    "    --endpoint-url https://<account>.r2.cloudflarestorage.com"))
@click.option("--store", help="s3://bucket/prefix, rclone:REMOTE:bucket/prefix or a path")
@click.option("--public-url", help="base of public URLs, e.g. https://pub-….r2.dev/prod")
@click.option("--endpoint-url", help="S3 endpoint, e.g. https://<account>.r2.cloudflarestorage.com")
@click.option("--force", is_flag=True, help="overwrite an existing offload.yaml")
@json_option
def init(store: str | None, public_url: str | None, endpoint_url: str | None, force: bool,
         as_json: bool) -> None:
    """Write offload.yaml (validated first) and ignore .offload/ (in .git/info/exclude).

    \b
    Example:
      offload init --store s3://film-assets/prod \\
        --endpoint-url https://<account>.r2.cloudflarestorage.com \\
        --public-url https://pub-0123.r2.dev/prod
    """
    from offload.git.repo import find_repo
    from offload.ops.init import store_reachable, write_config

    repo = find_repo()
    path = write_config(repo, store, public_url, force, endpoint_url)
    remote = store is not None and store.startswith(("s3://", "rclone:"))
    reachable, seen = store_reachable(repo) if remote else (True, "local store")
    if as_json:
        emit_json({"config": str(path), "store_checked": remote, "store_reachable": reachable})
        return
    click.echo(f"wrote {path}")
    if remote:
        click.echo(f"store: reachable ({seen})" if reachable else
                   f"warning: the store is not reachable yet: {seen}", err=not reachable)
    click.echo("next steps:")
    click.echo("  git add offload.yaml && git commit -m 'offload configuration'")
    click.echo("  offload put PATH…            # upload files and record them in offload.lock")
    click.echo("  offload hook install         # block artifacts at commit time")
    click.echo("  offload migrate plan         # inventory LFS history for migration")
