"""offload refs: every reference in documents, what it resolves to, and --check for CI."""

from __future__ import annotations

from testing.cli import run_offload
from testing.repos import GitRepo

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def test_refs_lists_assets_git_files_and_broken_links(repo: GitRepo) -> None:
    assert run_offload("init", cwd=repo.path).rc == 0
    repo.write("art/a.png", PNG)
    assert run_offload("put", "art/a.png", "--untrack", cwd=repo.path).rc == 0
    repo.write("art/b.png", PNG + b"b")
    repo.write("docs/story.md", "# Story\n\n![a](../art/a.png)\n  ![b](../art/b.png)\n"
                                "```\n![code](../art/gone.png)\n```\n![gone](../art/gone.png)\n"
                                "[site](https://example.com/x.png)\n")
    repo.add("art/b.png", "docs/story.md")
    repo.commit("docs")
    listed = run_offload("refs", "--json", cwd=repo.path)
    assert listed.rc == 0, listed.output
    rows = {r["target"]: r for r in listed.json()["references"]}
    assert set(rows) == {"../art/a.png", "../art/b.png", "../art/gone.png"}
    assert rows["../art/a.png"]["status"] == "asset" and rows["../art/a.png"]["url"]
    assert (rows["../art/b.png"]["status"], rows["../art/b.png"]["line"],
            rows["../art/b.png"]["column"]) == ("in git", 4, 8)
    assert rows["../art/gone.png"]["broken"] and rows["../art/gone.png"]["line"] == 8
    text = run_offload("refs", "docs/story.md", cwd=repo.path)
    assert "docs/story.md:8:9" in text.stdout and "BROKEN" in text.stdout
    check = run_offload("refs", "--check", cwd=repo.path)
    assert check.rc == 1
    repo.write("docs/story.md", "![a](../art/a.png)\n")
    assert run_offload("refs", "--check", cwd=repo.path).rc == 0  # the work tree is read
    at_head = run_offload("refs", "--check", "--at", "HEAD", cwd=repo.path)
    assert at_head.rc == 1  # HEAD still holds the broken link


def test_refs_refuses_a_symlinked_document_and_a_bad_revision(repo: GitRepo) -> None:
    (repo.path / "secret.md").write_text("![x](a.png)\n")
    (repo.path / "docs").mkdir()
    (repo.path / "docs/link.md").symlink_to(repo.path / "secret.md")
    linked = run_offload("refs", "docs/link.md", cwd=repo.path)
    assert linked.rc != 0 and "symbolic link" in linked.stderr and "Traceback" not in linked.output
    outside = repo.path.parent / "outside"
    outside.mkdir()
    (outside / "page.md").write_text("![x](a.png)\n")
    (repo.path / "linked").symlink_to(outside)
    through = run_offload("refs", "linked/page.md", cwd=repo.path)
    assert through.rc != 0 and "Traceback" not in through.output and "x](a.png" not in through.stdout
    bad = run_offload("refs", "--at", "no-such-rev", cwd=repo.path)
    assert bad.rc == 2 and "next:" in bad.stderr


def test_refs_resolves_root_relative_links_against_the_mkdocs_docs_dir(repo: GitRepo) -> None:
    repo.write("mkdocs.yml", "site_name: M\ndocs_dir: manual\n")
    repo.write("manual/img/a.png", PNG)
    repo.write("manual/guide.md", "---\nimage: /img/a.png\n---\n![a](/img/a.png)\n"
                                  "![gone](/img/gone.png)\n")
    repo.add("mkdocs.yml", "manual/img/a.png", "manual/guide.md")
    repo.commit("an MkDocs site")
    listed = run_offload("refs", "--json", "manual/guide.md", cwd=repo.path)
    assert listed.rc == 0, listed.output
    rows = [(r["line"], r["resolves_to"], r["status"]) for r in listed.json()["references"]]
    assert rows == [(2, "manual/img/a.png", "in git"), (4, "manual/img/a.png", "in git"),
                    (5, "img/gone.png", "missing")]
    repo.write("offload.yaml", "references:\n  site_roots: []\n")
    off = run_offload("refs", "--json", "manual/guide.md", cwd=repo.path)
    assert [r["status"] for r in off.json()["references"]] == ["missing"] * 3
