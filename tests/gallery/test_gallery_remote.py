"""`offload serve` and `offload gallery serve` for a remote (S3) store: thumbnails made by the server, pictures
from the public URLs, no credential in any page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.gallery.sample import png, serving
from tests.gallery.test_gallery_server import call

PUBLIC = "https://pub.example.test/prod"


@pytest.mark.parametrize("command", [("serve",), ("gallery", "serve")])
def test_remote_store_gallery(repo: GitRepo, moto_s3: S3Server, s3_bucket: str,
                              command: tuple[str, ...]) -> None:
    repo.write("offload.yaml", f"store: s3://{s3_bucket}/prod\npublic_url: {PUBLIC}\n"
               f"s3:\n  endpoint_url: {moto_s3.endpoint_url}\n  region: us-east-1\n")
    env = moto_s3.env()
    repo.write("scenes/s02/wide shot.png", png("orange", (90, 60)))
    put = run_offload("put", "scenes/s02/wide shot.png", cwd=repo.path, env=env)
    assert put.rc == 0, put.output
    with serving(repo, command, env) as base:
        index = call(base, "/")[2].decode()
        thumb = index.split('<img src="')[1].split('"')[0]
        status, headers, body = call(base, thumb)
        page = call(base, "/_gallery/live/asset?f=scenes/s02/wide%20shot.png")[2].decode()
    assert "scenes/s02/wide shot.png" in index
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(body)) as image:
        assert image.size == (90, 60)
    assert f'href="{PUBLIC}/scenes/s02/wide%20shot.' in page
    for secret in (moto_s3.access_key, moto_s3.secret_key, moto_s3.endpoint_url):
        assert secret not in index and secret not in page
