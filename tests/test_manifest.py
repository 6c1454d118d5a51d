import json
import threading
from pathlib import Path

import pytest

from offload.errors import ConfigError
from offload.manifest import Entry, Manifest, parse_manifest


def entry(path: str, sha: str = "0" * 64, meta: dict[str, object] | None = None) -> Entry:
    return Entry(path=path, size=3, sha256=sha, key=f"k/{path}", url=f"https://x/{path}",
                 content_type="image/png", source="put", meta=dict(meta or {}))


def test_lines_are_sorted_json_and_round_trip(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "offload.lock", tmp_path / "lock")
    manifest.upsert([entry("b.png"), entry("a.png", meta={"prompt": "mira, front"})])
    lines = (tmp_path / "offload.lock").read_text().splitlines()
    assert [json.loads(line)["path"] for line in lines] == ["a.png", "b.png"]
    assert list(json.loads(lines[0])) == ["path", "size", "sha256", "key", "url",
                                          "content_type", "source", "meta"]
    assert manifest.read()["a.png"].meta == {"prompt": "mira, front"}


def test_upsert_replaces_the_same_path(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "offload.lock", tmp_path / "lock")
    manifest.upsert([entry("a.png", "1" * 64)])
    manifest.upsert([entry("a.png", "2" * 64)])
    assert [e.sha256 for e in manifest.entries()] == ["2" * 64]


def test_parse_error_names_the_line() -> None:
    text = json.dumps(entry("a.png").to_json()) + "\n<<<<<<< HEAD\n"
    with pytest.raises(ConfigError, match="line 2") as info:
        parse_manifest(text)
    assert "conflict" in info.value.next_step


def test_missing_field_is_reported() -> None:
    with pytest.raises(ConfigError, match=r"line 1.*missing field"):
        parse_manifest('{"path": "a.png"}\n')


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    target = tmp_path / "offload.lock"

    def writer(n: int) -> None:
        for i in range(20):
            Manifest(target, tmp_path / "lock").upsert([entry(f"w{n}/{i}.png")])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(Manifest(target).read()) == 80
    assert not list(tmp_path.glob(".offload.lock.*"))  # no temp file left behind
