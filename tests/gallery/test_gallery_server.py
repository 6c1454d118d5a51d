"""The gallery routes of `offload serve`: confined to the store, approval guarded, no secrets."""

from __future__ import annotations

import http.client
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from PIL import Image

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.gallery.sample import NINA, ok, png, serving

SECRETS = ("hunter2", "sigsecret123", "AKIAEXAMPLEKEY", "sk-live-secret")


def call(base: str, path: str, method: str = "GET", body: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def base(sample: GitRepo) -> Iterator[str]:
    with serving(sample) as url:
        yield url


@pytest.fixture
def crafted(repo: GitRepo) -> GitRepo:
    """One real asset, one entry whose key leaves the store, one credential-laden reference."""
    repo.write("props/real.png", png("purple"))
    ok(repo, "put", "props/real.png")
    store = repo.path / ".git" / "offload" / "store"
    (store.parent / "outside.png").write_bytes(png("magenta"))
    (store / "props" / "link.png").symlink_to(store.parent / "outside.png")
    real = json.loads((repo.path / "offload.lock").read_text())
    escaping = {**real, "path": "props/escape.png", "key": "../outside.png", "sha256": "e" * 64}
    linked = {**real, "path": "props/link.png", "key": "props/link.png", "sha256": "f" * 64}
    real["meta"] = {"prompt": "a lamp", "api_key": SECRETS[3], "reference":
                    f"https://user:{SECRETS[0]}@refs.example.test/lamp.png?v=2&"
                    f"X-Amz-Signature={SECRETS[1]}&X-Amz-Credential={SECRETS[2]}"}
    lines = sorted(json.dumps(r) for r in (real, escaping, linked))
    (repo.path / "offload.lock").write_text("\n".join(lines) + "\n")
    return repo


def thumbnail_colour(body: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(body)) as image:
        return tuple(image.convert("RGB").getpixel((2, 2)))


def test_nothing_outside_the_store_is_read(crafted: GitRepo) -> None:
    with serving(crafted) as url:
        for sha in ("e" * 64, "f" * 64):  # ../outside.png, and a symlink to it
            status, headers, body = call(url, f"/_gallery/live/thumb/{sha}.jpg")
            assert status == 200 and headers["Content-Type"] == "image/jpeg"
            red, green, blue = thumbnail_colour(body)
            assert not (red > 200 and blue > 200 and green < 60), "the outside file leaked"
        lines = (crafted.path / "offload.lock").read_text().splitlines()
        real = next(r for r in map(json.loads, lines) if r["path"] == "props/real.png")
        assert call(url, f"/_gallery/live/thumb/{real['sha256']}.jpg")[0] == 200
        for path in ("/_gallery/live/static/../../offload.lock", "/_gallery/live/static/%2e%2e/x",
                     f"/_gallery/live/thumb/{'0' * 64}.jpg", "/_gallery/live/thumb/../../x.jpg",
                     "/_gallery/live/asset?f=../../etc/passwd", "/_gallery/live/nothing"):
            assert call(url, path)[0] == 404, path
    cache = crafted.path / ".git" / "offload" / "gallery-thumbs"
    assert sorted(p.stem for p in cache.rglob("*.jpg")) == [real["sha256"]]  # tiles not kept


def test_no_credentials_in_pages_or_json(crafted: GitRepo, tmp_path: Path) -> None:
    with serving(crafted) as url:
        pages = [call(url, "/")[2], call(url, "/_gallery/live/index.json")[2],
                 call(url, "/_gallery/live/asset?f=props/real.png")[2]]
    assert run_offload("gallery", "build", "-o", tmp_path / "site", cwd=crafted.path).rc == 0
    pages += [p.read_bytes() for p in (tmp_path / "site").rglob("*.*")
              if p.suffix in (".html", ".json")]
    assert len(pages) > 5
    text = b"\n".join(pages).decode()
    assert "a lamp" in text and "refs.example.test/lamp.png?v=2" in text
    for secret in SECRETS:
        assert secret not in text


def token_of(base: str) -> str:
    page = call(base, f"/_gallery/live/asset?f={NINA}")[2].decode()
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_approve_needs_the_token_and_the_servers_own_origin(base: str, sample: GitRepo) -> None:
    lock = sample.path / "offload.lock"
    before = lock.read_bytes()
    own = urlsplit(base).netloc
    token = token_of(base)
    # one character changed (a random token starts with "x" one time in 64: then it was
    # the right token, and the test failed that often)
    wrong = ("y" if token[0] == "x" else "x") + token[1:]
    form = {"path": f"{NINA}/v1.png"}
    refused = [
        ({**form}, {"Origin": base}),  # no token
        ({**form, "token": wrong}, {"Origin": base}),  # wrong token
        ({**form, "token": token}, {"Origin": "http://evil.example.test"}),  # foreign origin
        ({**form, "token": token}, {"Origin": "null"}),
        ({**form, "token": token}, {}),  # no origin at all
    ]
    for fields, headers in refused:
        status, _, _ = call(base, "/_gallery/live/approve", "POST", urlencode(fields), {
            **headers, "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 403, (fields.keys(), headers)
    rebound = call(base, "/", headers={"Host": f"evil.example.test:{urlsplit(base).port}"})
    assert rebound[0] == 421 and token.encode() not in rebound[2]
    assert lock.read_bytes() == before
    status, headers, _ = call(base, "/_gallery/live/approve", "POST",
                              urlencode({**form, "token": token}),
                              {"Origin": f"http://{own}",
                               "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303 and headers["Location"].startswith("/_gallery/live/asset?f=")
    entries = [json.loads(line) for line in lock.read_text().splitlines()]
    assert [e["path"] for e in entries if e.get("meta", {}).get("approved")] == [f"{NINA}/v1.png"]
