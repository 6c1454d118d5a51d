"""The spans a plan parsed are read back by the run of the same clone, never parsed twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import offload.migrate.references as references
from offload.migrate.references.base import Span
from offload.migrate.references.docs import DocRewriter
from offload.migrate.references.scancache import ScanCache
from testing.repos import LfsRepo

from .conftest import PUBLIC, png
from .helpers import PLAN, offload, show

DOC = b"# Shot\n\n![frame](../frames/a.png) and `../frames/b.png` in code\n"


def rewriter(cache: ScanCache | None) -> DocRewriter:
    return DocRewriter(lambda path, blob: f"https://cdn.test/{path}", lambda p: True, None, (),
                       cache)


def test_spans_read_back_equal_those_parsed(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ScanCache(tmp_path / "spans.sqlite")
    first = rewriter(cache).rewrite("docs/shot.md", "b1", DOC, {"frames/a.png": "x"})
    cache.close()

    def no_parsing(doc_path: str, text: str) -> list[Span]:
        raise AssertionError(f"{doc_path} parsed again")

    monkeypatch.setattr(references, "scan_text", no_parsing)
    again = ScanCache(tmp_path / "spans.sqlite")
    second = rewriter(again).rewrite("docs/shot.md", "b1", DOC, {"frames/a.png": "x"})
    assert again.hits == 1
    assert second.data == first.data and b"https://cdn.test/frames/a.png" in second.data
    assert [(r.line, r.target) for r in second.rewritten] == [(3, "../frames/a.png")]
    with pytest.raises(AssertionError, match="parsed again"):  # another blob is parsed
        rewriter(again).rewrite("docs/shot.md", "b2", DOC, {})
    again.close()


def test_another_version_or_a_damaged_row_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "spans.sqlite"
    cache = ScanCache(path)
    cache.put("markdown", "b1", [Span(1, 2, "a.png", "a.png", "", "markdown", "md")])
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET version = 'offload 0.0.0'")
    assert ScanCache(path).get("markdown", "b1") is None  # spans of another offload: dropped
    cache = ScanCache(path)
    cache.put("markdown", "b2", [])
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE spans SET spans = x'00ff'")
    assert ScanCache(path).get("markdown", "b2") is None


def test_a_locked_cache_means_parsing_not_an_error(tmp_path: Path) -> None:
    """Another plan of the same repository holds the database: this one parses instead."""
    path = tmp_path / "spans.sqlite"
    cache = ScanCache(path, timeout=0.1)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(sqlite3.OperationalError):
        ScanCache(path, timeout=0.1)  # what open() turns into None
    cache.put("markdown", "b1", [])
    for _ in range(300):  # past a batch: the commit that cannot happen is not an error
        cache.put("markdown", "b2", [])
    assert cache.get("markdown", "b1") is None
    cache.close()
    holder.rollback()
    holder.close()
    assert ScanCache(path).get("markdown", "b1") is None  # nothing half-saved


def test_plan_then_run_reads_the_spans_back(tmp_path: Path) -> None:
    repo = LfsRepo(tmp_path / "origin")
    repo.commit_files({"frames/a.png": png("a"), "docs/shot.md": DOC}, "shot")
    repo.commit_files({"frames/a.png": png("a2")}, "a again")
    repo.push()
    clone = repo.clone(tmp_path / "clone", skip_smudge=True)
    env = {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
    assert offload(clone, env, "migrate", "plan").rc == 0
    cached = clone.path / ".git/offload/cache/document-spans.sqlite"
    with sqlite3.connect(cached) as db:
        assert db.execute("SELECT count(*) FROM spans").fetchone() == (1,)
    ran = offload(clone, env, "migrate", "run", PLAN, "--json")
    assert ran.rc == 0, ran.output
    assert f"{PUBLIC}/frames/a." in show(clone, "HEAD", "docs/shot.md")
