"""The Python API: Store.from_repo, open_write, url, open_read."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import offload
from offload.errors import UsageError
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.generate.helpers import manifest_lines, use_s3


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def test_open_write_uploads_records_and_returns_url(repo: GitRepo) -> None:
    store = offload.Store.from_repo(repo.path)
    with store.open_write("renders/shot 1.png", meta={"prompt": "dusk"}) as out:
        Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    assert out.entry is not None and out.url is not None
    assert out.url.endswith(f"/renders/shot%201.{out.entry.sha256[:12]}.png")
    assert store.url("renders/shot 1.png") == out.url
    assert store.url(out.url) == out.url
    assert store.open_read("renders/shot 1.png").read() == png()
    assert store.open_read(out.url).read() == png()
    [line] = manifest_lines(repo)
    assert '"source": "generate"' in line and '"prompt": "dusk"' in line
    assert not (repo.path / "renders").exists()


def test_close_returns_the_url(repo: GitRepo) -> None:
    store = offload.Store.from_repo(repo.path)
    handle = store.open_write("a.png")
    handle.write(png())
    url = handle.close()
    assert url == store.url("a.png")


def test_exception_inside_with_records_nothing(repo: GitRepo) -> None:
    store = offload.Store.from_repo(repo.path)
    with pytest.raises(RuntimeError), store.open_write("b.png") as out:
        out.write(b"half")
        raise RuntimeError("generation failed")
    assert manifest_lines(repo) == []
    assert list(store.workspace.backend.iter_objects()) == []


@pytest.mark.parametrize("bad", ["/abs.png", "../out.png", "a/../../b.png"])
def test_paths_outside_the_repository_are_refused(repo: GitRepo, bad: str) -> None:
    with pytest.raises(UsageError):
        offload.Store.from_repo(repo.path).open_write(bad)


def test_open_write_on_s3(repo: GitRepo, moto_s3: S3Server, s3_bucket: str,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in use_s3(repo, moto_s3, s3_bucket).items():
        monkeypatch.setenv(name, value)
    store = offload.Store.from_repo(repo.path)
    with store.open_write("img/é.png", meta={"prompt": "café"}) as out:
        out.write(png())
    assert out.url is not None and out.url.startswith("https://pub.example.test/prod/img/%C3%A9.")
    assert store.open_read("img/é.png").read() == png()
    assert store.open_read(out.url).read() == png()  # a public URL read through the store
