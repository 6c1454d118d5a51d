"""The in-run verification checks the rewrite's own records."""

from __future__ import annotations

from offload.manifest import Entry
from offload.migrate.history.runrecord import DocWrite, RunRecord
from offload.migrate.references import Reference, RewriteResult

URL1 = "https://cdn.test/p/a-1.png"
URL2 = "https://cdn.test/p/a-2.png"


def record() -> RunRecord:
    rec = RunRecord(base="https://cdn.test/p")
    for blob, url in (("b1", URL1), ("b2", URL2)):
        rec.entries[("a.png", blob)] = Entry(path="a.png", size=1, sha256="0" * 64,
                                             key=url[-9:], url=url, content_type="image/png",
                                             source="migrate")
    rec.every_url = lambda: [URL1, URL2]
    return rec


def doc_problems(rec: RunRecord, written: DocWrite, new_commit: str) -> list[str]:
    """What the run's verification reports for this write, under the commit's new id."""
    rec.check(written)
    return [f"{new_commit[:12]}: {path}{what}" for _c, path, what in rec.doc_problems]


def doc(urls: dict[str, str], present: dict[str, str] | None = None,
        original: bytes = b"![x](a.png)\n") -> DocWrite:
    result = RewriteResult(b"![x](" + urls["a.png"].encode() + b")\n",
                           rewritten=[Reference(1, "a.png", "a.png", "markdown")])
    return DocWrite("c" * 40, "r.md", result, urls, {"a.png": "b2"}, None, original, present)


def test_right_version_passes() -> None:
    rec = record()
    assert doc_problems(rec, doc({"a.png": URL2}), "n" * 40) == []


def test_url_of_another_version_is_reported() -> None:
    rec = record()
    found = doc_problems(rec, doc({"a.png": URL1}), "n" * 40)
    assert found == [f"{'n' * 12}: r.md links {URL1}, not this commit's version"]


def test_stale_url_already_in_the_document_is_reported() -> None:
    rec = record()
    old = f"![x](a.png) ![y]({URL1})\n".encode()
    found = doc_problems(rec, doc({"a.png": URL2}, {"a.png": "b2"}, old), "n" * 40)
    assert found == [f"{'n' * 12}: r.md links {URL1}, not this commit's version"]


def test_reference_left_to_a_locked_path_is_reported() -> None:
    rec = record()
    left = doc({"a.png": URL2})
    left.result.unresolved.append(Reference(2, "./a.png", "a.png", "markdown"))
    found = doc_problems(rec, left, "n" * 40)
    assert found == [f"{'n' * 12}: r.md line 2 still points at ./a.png"]
