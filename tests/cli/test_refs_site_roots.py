"""offload refs with site roots: detected ones, docsify relativePath, and a refused setting."""

from __future__ import annotations

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
DOCSIFY = ("<script>window.$docsify = {{basePath: '/book/'{extra}}}</script>\n"
           '<script src="//unpkg.com/docsify/lib/docsify.min.js"></script>\n')


def resolved(repo: GitRepo, doc: str) -> list[tuple[str, str | None, str]]:
    listed = run_offload("refs", "--json", doc, cwd=repo.path)
    assert listed.rc == 0, listed.output
    return [(r["target"], r["resolves_to"], r["status"]) for r in listed.json()["references"]]


@pytest.mark.parametrize(("extra", "relative_found"), [("", True), (", relativePath: true", False)])
def test_docsify_base_path_and_relative_path(repo: GitRepo, extra: str,
                                             relative_found: bool) -> None:
    repo.commit_files({"index.html": DOCSIFY.format(extra=extra), "book/img/a.png": PNG,
                       "book/guide/p.md": "![a](img/a.png) ![r](/img/a.png)\n"}, "docsify")
    rows = resolved(repo, "book/guide/p.md")
    assert rows[1] == ("/img/a.png", "book/img/a.png", "in git")
    assert (rows[0][2] == "in git") is relative_found


def test_hugo_static_folder_serves_root_relative_images(repo: GitRepo) -> None:
    repo.commit_files({"hugo.toml": "title = 'x'\n", "static/img/a.png": PNG,
                       "content/posts/p.md": "---\nimage: /img/a.png\n---\n![a](/img/a.png)\n"},
                      "hugo")
    assert resolved(repo, "content/posts/p.md") == [
        ("/img/a.png", "static/img/a.png", "in git")] * 2


@pytest.mark.parametrize(("setting", "says"), [
    ("site_roots: docs/", "must be a list"),
    ("site_roots: [{base: docs/, bogus: 1}]", "unknown key `bogus`"),
    ("site_roots: [{base: docs/, relative: 'yes'}]", "`relative` must be true or false"),
    ("site_roots: [{documents: docs/}]", "mapping with `base`"),
    ("site_roots: [/../etc]", "climbs out of the repository"),
    ("site_roots: [{base: docs/, config: /etc/mkdocs.yml}]", "`config` must be a file path"),
])
def test_invalid_site_roots_are_refused(repo: GitRepo, setting: str, says: str) -> None:
    repo.write("offload.yaml", f"references:\n  {setting}\n")
    result = run_offload("refs", cwd=repo.path)
    assert result.rc == 3 and says in result.output, result.output
    assert "Traceback" not in result.output
