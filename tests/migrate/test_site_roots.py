"""Static sites: references resolve the way MkDocs, docsify and Jekyll resolve them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from testing.repos import GitRepo, LfsRepo

from .conftest import PUBLIC, png
from .helpers import PLAN, offload, plan_data, show

MKDOCS_YML = """site_name: Manual
docs_dir: manual
theme:
  name: material
  logo: img/logo.png
  favicon: !ENV [FAVICON, img/favicon.png]
markdown_extensions:
  - pymdownx.emoji:
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""
MKDOCS_PAGE = """---
title: Setup
image: /img/a.png
---

# Setup

![a](/img/a.png "the a") ![gone](/img/none.png)
"""
DOCSIFY_INDEX = """<!DOCTYPE html>
<html><body><div id="app"></div>
<script>window.$docsify = { name: 'Guide', basePath: 'content/', loadSidebar: true }</script>
<script src="//cdn.jsdelivr.net/npm/docsify@4/lib/docsify.min.js"></script>
</body></html>
"""
JEKYLL_CONFIG = "title: Blog\nsource: web\nlogo: /assets/logo.png\n"
JEKYLL_POST = """---
layout: post
image: /assets/cover.png
og_image: "/assets/cover.png"
---
Cover: ![c](/assets/cover.png) and <img src="/assets/nowhere.png">
"""


def url(path: str, tag: str) -> str:
    stem, ext = path.rsplit(".", 1)
    return f"{PUBLIC}/{stem}.{hashlib.sha256(png(tag)).hexdigest()[:12]}.{ext}"


def site(tmp_path: Path, first: dict[str, str | bytes], second: dict[str, str | bytes]
         ) -> tuple[GitRepo, list[str]]:
    origin = LfsRepo(tmp_path / "origin")
    commits = [origin.commit_files(first, "site"), origin.commit_files(second, "new images")]
    origin.push()
    return origin.clone(tmp_path / "clone", skip_smudge=True), commits


def migrate(repo: GitRepo, env: dict[str, str]) -> tuple[dict[str, object], dict[str, str]]:
    planned = offload(repo, env, "migrate", "plan")
    assert planned.rc == 0, planned.output
    run = offload(repo, env, "migrate", "run", PLAN, "--json")
    assert run.rc == 0, run.output
    result = run.json()
    assert result["verification"]["ok"], result["verification"]
    assert offload(repo, env, "migrate", "verify", PLAN).rc == 0
    return plan_data(repo), result["commit_map"]


def test_mkdocs_site_root_config_and_front_matter(tmp_path: Path, env: dict[str, str]) -> None:
    repo, (c1, c2) = site(tmp_path, {
        "mkdocs.yml": MKDOCS_YML, "manual/guide/setup.md": MKDOCS_PAGE,
        "manual/img/a.png": png("a1"), "manual/img/logo.png": png("logo"),
        "manual/img/favicon.png": png("fav"),
    }, {"manual/img/a.png": png("a2")})
    plan, cmap = migrate(repo, env)
    assert plan["recipe"]["references"]["site_roots"] == [{
        "base": "manual/", "documents": "manual/", "config": "mkdocs.yml",
        "found_by": "mkdocs.yml docs_dir: manual"}]
    assert plan["summary"]["site_roots"] == ["manual/ (mkdocs.yml docs_dir: manual)"]
    assert [(r["target"], r["resolves_to"]) for r in plan["references"]["dangling"]] == [
        ("/img/none.png", "img/none.png")]
    for old, tag in ((c1, "a1"), (c2, "a2")):
        page = show(repo, cmap[old], "manual/guide/setup.md")
        a = url("manual/img/a.png", tag)
        assert page == MKDOCS_PAGE.replace("/img/a.png", a)
        config = show(repo, cmap[old], "mkdocs.yml")  # !ENV's default is a path too
        assert config == MKDOCS_YML.replace(
            "img/logo.png", url("manual/img/logo.png", "logo")).replace(
            "img/favicon.png", url("manual/img/favicon.png", "fav"))
    # verify reads pages the way the site does: a root-relative link left behind is found
    repo.write("manual/late.md", "![a](/img/a.png)\n")
    repo.add("manual/late.md")
    repo.commit("a page written after the migration")
    late = offload(repo, env, "migrate", "verify", PLAN)
    assert late.rc != 0
    assert "manual/late.md line 1 still points at /img/a.png" in late.output


def test_docsify_base_path_resolves_relative_images(tmp_path: Path,
                                                     env: dict[str, str]) -> None:
    page = "# Intro\n\n![b](_images/b.png)\n<img src=\"_images/none.png\">\n"
    repo, (c1, c2) = site(tmp_path, {
        "site/index.html": DOCSIFY_INDEX, "site/content/guide/intro.md": page,
        "site/content/_images/b.png": png("b1"),
    }, {"site/content/_images/b.png": png("b2")})
    plan, cmap = migrate(repo, env)
    roots = plan["recipe"]["references"]["site_roots"]
    assert roots == [{"base": "site/content/", "documents": "site/", "relative": True,
                      "found_by": "site/index.html loads docsify, basePath: content/"}]
    assert [r["target"] for r in plan["references"]["dangling"]] == ["_images/none.png"]
    for old, tag in ((c1, "b1"), (c2, "b2")):
        shown = show(repo, cmap[old], "site/content/guide/intro.md")
        assert shown == page.replace("_images/b.png", url("site/content/_images/b.png", tag))


def test_jekyll_source_front_matter_and_logo(tmp_path: Path, env: dict[str, str]) -> None:
    post = "web/_posts/2024-01-01-hello.md"
    repo, (c1, c2) = site(tmp_path, {
        "_config.yml": JEKYLL_CONFIG, post: JEKYLL_POST,
        "web/assets/cover.png": png("cover1"), "web/assets/logo.png": png("logo"),
    }, {"web/assets/cover.png": png("cover2")})
    plan, cmap = migrate(repo, env)
    assert plan["summary"]["site_roots"] == ["web/ (_config.yml source: web)"]
    assert [r["target"] for r in plan["references"]["dangling"]] == ["/assets/nowhere.png"]
    for old, tag in ((c1, "cover1"), (c2, "cover2")):
        assert show(repo, cmap[old], post) == JEKYLL_POST.replace(
            "/assets/cover.png", url("web/assets/cover.png", tag))
        assert show(repo, cmap[old], "_config.yml") == JEKYLL_CONFIG.replace(
            "/assets/logo.png", url("web/assets/logo.png", "logo"))


def test_site_roots_off_in_offload_yaml_leaves_references_dangling(
        tmp_path: Path, env: dict[str, str]) -> None:
    repo, _ = site(tmp_path, {
        "offload.yaml": "references:\n  site_roots: []\n",
        "_config.yml": JEKYLL_CONFIG, "web/index.md": "![c](/assets/cover.png)\n",
        "web/assets/cover.png": png("cover1"),
    }, {"web/assets/cover.png": png("cover2")})
    assert offload(repo, env, "migrate", "plan").rc == 0
    plan = plan_data(repo)
    assert plan["recipe"]["references"]["site_roots"] == []
    assert [r["target"] for r in plan["references"]["dangling"]] == [
        "/assets/logo.png", "/assets/cover.png"]
    assert plan["references"]["rewrite"] == []


def test_site_roots_set_in_offload_yaml_and_refused_when_wrong(
        tmp_path: Path, env: dict[str, str]) -> None:
    repo, _ = site(tmp_path, {
        "offload.yaml": "references:\n  site_roots: [pages/public]\n",
        "pages/guide.md": "![c](/cover.png)\n", "pages/public/cover.png": png("c1"),
    }, {"pages/public/cover.png": png("c2")})
    assert offload(repo, env, "migrate", "plan").rc == 0
    plan = plan_data(repo)
    assert plan["summary"]["site_roots"] == ["pages/public/ (offload.yaml)"]
    assert [r["resolves_to"] for r in plan["references"]["rewrite"]] == [
        "pages/public/cover.png"]
    (repo.path / "offload.yaml").write_text("references:\n  site_roots: [{base: ../up}]\n")
    refused = offload(repo, env, "migrate", "plan", "-o", "migrations/other.yaml")
    assert refused.rc == 3 and "site_roots" in refused.output
    assert "Traceback" not in refused.output


def test_plan_proposes_hugo_mkdocs_default_and_docsify_default_roots(
        tmp_path: Path, env: dict[str, str]) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.commit_files({
        "hugo.toml": "baseURL = 'https://example.test/'\n", "content/post.md": "# P\n",
        "static/img/x.png": png("x"), "assets/css/site.css": "a {}\n",
        "handbook/mkdocs.yml": "site_name: H\n", "handbook/docs/index.md": "# H\n",
        "guide/index.html": DOCSIFY_INDEX.replace("basePath: 'content/', ", ""),
        "tools/config.toml": "[x]\n", "tools/static/y.txt": "y\n",
    }, "three sites and a tool")
    planned = offload(repo, env, "migrate", "plan")
    assert planned.rc == 0, planned.output
    assert "site root" in planned.stdout and "handbook/docs/" in planned.stdout
    roots = plan_data(repo)["recipe"]["references"]["site_roots"]
    assert [(r["base"], r["documents"], r.get("relative", False)) for r in roots] == [
        ("guide/", "guide/", True), ("handbook/docs/", "handbook/docs/", False),
        ("static/", "", False), ("assets/", "", False)]
    assert roots[1]["config"] == "handbook/mkdocs.yml"
    assert roots[0]["found_by"] == "guide/index.html loads docsify, no basePath"


def test_tip_mode_rewrites_docsify_pages_against_base_path(tmp_path: Path,
                                                           env: dict[str, str]) -> None:
    page = "![b](_images/b.png)\n"
    repo, _ = site(tmp_path, {
        "site/index.html": DOCSIFY_INDEX, "site/content/guide/intro.md": page,
        "site/content/_images/b.png": png("b1"),
    }, {"site/content/_images/b.png": png("b2")})
    assert offload(repo, env, "migrate", "plan").rc == 0
    run = offload(repo, env, "migrate", "run", PLAN, "--mode", "tip", "--json")
    assert run.rc == 0, run.output
    assert run.json()["verification"]["ok"]
    assert (repo.path / "site/content/guide/intro.md").read_text() == page.replace(
        "_images/b.png", url("site/content/_images/b.png", "b2"))


def test_roots_of_many_tips_read_only_the_trees_that_can_differ(tmp_path: Path) -> None:
    """Branch tips are judged from their difference to the first tip: a tip that only edits a
    page finds what the first finds; one that adds a Hugo `assets/` folder or an mkdocs.yml
    finds its own roots too, as reading every tree whole would."""
    from offload.migrate.sites.detect import detect_in_commits

    repo = GitRepo(tmp_path / "site")
    main = repo.commit_files({"hugo.toml": "title = 'x'\n", "static/a.css": "a\n",
                              "content/p.md": "# p\n"}, "hugo site")
    tips = [main]
    for name, files in (("edit", {"content/p.md": "# p2\n"}),
                        ("assets", {"assets/b.css": "b\n"}),
                        ("mkdocs", {"manual/mkdocs.yml": "docs_dir: pages\n"})):
        repo.git("checkout", "-q", "-b", name, main)
        tips.append(repo.commit_files(files, name))
    found = {(r.base, r.found_by) for r in detect_in_commits(repo.path, tips)}
    assert found == {("static/", "hugo.toml (Hugo) serves static/ at /"),
                     ("assets/", "hugo.toml (Hugo) serves assets/ at /"),
                     ("manual/pages/", "manual/mkdocs.yml docs_dir: pages")}
    edit_only = detect_in_commits(repo.path, [main, tips[1]])
    assert [r.base for r in edit_only] == ["static/"]


def test_tips_without_hugo_are_compared_by_configuration_files_alone(tmp_path: Path) -> None:
    """No Hugo configuration in the first tip: only configuration files and pages in any
    folder can change what is found, however many other files the tips differ in."""
    from offload.migrate.sites.detect import detect_in_commits

    repo = GitRepo(tmp_path / "site")
    main = repo.commit_files({"README.md": "# x\n", "frames/a.txt": "a\n"}, "no site")
    tips = [main]
    for name, files in (("churn", {f"frames/{i}.txt": f"{i}\n" for i in range(50)}),
                        ("deep", {"handbook/v2/mkdocs.yml": "site_name: h\n"}),
                        ("page", {"web/index.html": '<script src="//cdn.jsdelivr.net/npm/docsify/lib/docsify.min.js">'
                                                    "</script>\n"})):
        repo.git("checkout", "-q", "-b", name, main)
        tips.append(repo.commit_files(files, name))
    found = sorted(r.found_by for r in detect_in_commits(repo.path, tips))
    assert found == ["handbook/v2/mkdocs.yml docs_dir: docs",
                     "web/index.html loads docsify, no basePath"]
    assert detect_in_commits(repo.path, tips[:2]) == []
