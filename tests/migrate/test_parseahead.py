"""The plan's documents are parsed ahead of its walk by worker processes, into the span cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import offload.migrate.references as references
from offload.migrate.gitwalk.gitdata import Change, CommitChanges
from offload.migrate.plan import build_inventory
from offload.migrate.recipe import load_rules
from offload.migrate.references.base import Span
from offload.migrate.references.parseahead import parse_ahead
from offload.migrate.references.prefilter import reference_prefilter
from offload.migrate.references.scancache import ScanCache
from offload.migrate.refs import selected_refs
from offload.migrate.scan import scan_references
from offload.workspace import Workspace
from testing.repos import LfsRepo

from .conftest import PUBLIC, png
from .helpers import PLAN, offload, plan_data, show

SHOTS = 24


def shot_doc(n: int) -> bytes:
    return f"# Shot {n}\n\n![frame](../frames/f{n % 4}.png) take {n}\n".encode()


def production(tmp_path: Path, shots: int) -> LfsRepo:
    """Documents naming frames, one without references, one not UTF-8."""
    repo = LfsRepo(tmp_path / "origin")
    files: dict[str, bytes] = {f"frames/f{n}.png": png(f"f{n}") for n in range(4)}
    files |= {f"docs/shot{n:03d}.md": shot_doc(n) for n in range(shots)}
    files |= {"docs/plain.md": b"# Notes\n\nnothing to see\n",
              "docs/latin1.md": "![f](../frames/f1.png) caf\xe9\n".encode("latin-1")}
    repo.commit_files(files, "shots")
    repo.commit_files({"docs/shot000.md": shot_doc(1000)}, "shot 0 again")
    return repo


def no_parsing(doc_path: str, text: str) -> list[Span]:
    raise AssertionError(f"{doc_path} parsed by the walk")


def test_workers_parse_what_the_walk_then_reads_back(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = production(tmp_path, SHOTS)
    repo.write("offload.yaml", f"store: {tmp_path / 'store'}\npublic_url: {PUBLIC}\n")
    ws = Workspace.discover(repo.path)
    rules = load_rules(ws.config, None, False)
    inv = build_inventory(ws, rules, selected_refs(ws.root, "all"))
    expected = scan_references(ws.root, inv, rules)  # parsed by the walk, no cache
    monkeypatch.setattr(references, "scan_text", no_parsing)  # this process parses nothing
    cache = ScanCache(tmp_path / "spans.sqlite")
    prefilter = reference_prefilter(rules.include, inv.asset_paths)
    stored = parse_ahead(ws.root, inv.commits, rules, prefilter, cache, min_versions=0, workers=2)
    assert stored == SHOTS + 1  # each version once; the plain and latin-1 ones are never parsed
    assert not cache.has("markdown", repo.git("rev-parse", "HEAD:docs/plain.md").strip())
    assert parse_ahead(ws.root, inv.commits, rules, prefilter, cache, min_versions=0,
                       workers=2) == 0  # nothing left to parse
    assert scan_references(ws.root, inv, rules, cache=cache) == expected
    assert {r["file"] for r in expected["rewrite"]} >= {"docs/shot000.md", "docs/shot023.md"}
    assert expected["not_utf8"] == [{"file": "docs/latin1.md"}]
    cache.close()


def test_a_worker_that_fails_costs_time_not_the_plan(tmp_path: Path,
                                                     capfd: pytest.CaptureFixture[str]) -> None:
    """A version the workers cannot read is left to the walk; nothing reaches the terminal."""
    repo = production(tmp_path, 2)
    repo.write("offload.yaml", f"store: {tmp_path / 'store'}\npublic_url: {PUBLIC}\n")
    ws = Workspace.discover(repo.path)
    rules = load_rules(ws.config, None, False)
    lost = CommitChanges("0" * 40, [], [Change(b"docs/lost.md", "100644", "1" * 40)])
    cache = ScanCache(tmp_path / "spans.sqlite")
    assert parse_ahead(ws.root, [lost], rules, None, cache, min_versions=0, workers=2) == 0
    assert not cache.has("markdown", "1" * 40)
    cache.close()
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Error" not in out + err


def test_a_plan_of_many_documents_parses_them_ahead(tmp_path: Path) -> None:
    """Through the CLI: past the threshold the workers run, and plan and run stay right."""
    repo = production(tmp_path, 140)
    repo.push()
    clone = repo.clone(tmp_path / "clone", skip_smudge=True)
    env = {"OFFLOAD_STORE": str(tmp_path / "store"), "OFFLOAD_PUBLIC_URL": PUBLIC}
    planned = offload(clone, env, "migrate", "plan")
    assert planned.rc == 0, planned.output
    assert "Traceback" not in planned.output
    rows = plan_data(clone)["references"]["rewrite"]
    assert len({r["file"] for r in rows}) == 140
    ran = offload(clone, env, "migrate", "run", PLAN)
    assert ran.rc == 0, ran.output
    assert f"{PUBLIC}/frames/f3." in show(clone, "HEAD", "docs/shot139.md")
    assert "../frames/" in show(clone, "HEAD", "docs/latin1.md")  # not UTF-8: left as is
