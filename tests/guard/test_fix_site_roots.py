"""offload fix rewrites a root-relative link the way the site generator resolves it."""

from __future__ import annotations

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.guard.helpers import PNG


def test_fix_resolves_root_links_under_the_mkdocs_docs_dir(repo: GitRepo) -> None:
    repo.commit_files({"mkdocs.yml": "site_name: Film\n",
                       "offload.yaml": 'public_url: "https://cdn.test"\n'}, "site")
    repo.write("docs/img/a.png", PNG)
    repo.write("docs/index.md", "# Film\n\n![a](/img/a.png)\n")
    repo.add("docs/img/a.png", "docs/index.md")
    fixed = run_offload("fix", cwd=repo.path)
    assert fixed.rc == 0, fixed.output
    staged = repo.git("show", ":docs/index.md")
    assert "![a](https://cdn.test/docs/img/a." in staged, staged  # docs/ is MkDocs' site root
