"""Through the CLI: what a migration leaves as written is listed by the plan and by verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from offload.migrate.references.mentions import (
    HTML_ENTITY,
    IN_CSS_COMMENT,
    IN_CSS_STRING,
    IN_HTML_COMMENT,
    NOT_FOUND,
)
from testing.repos import LfsRepo, lfs_available

from .conftest import png
from .helpers import PLAN, offload

pytestmark = pytest.mark.skipif(not lfs_available(), reason="git-lfs is not installed")

README = ("| shot | frame |\n|---|---|\n| 1 | ![a](art/a\\|b.png) \\| ![a](art/a.png) |\n\n"
          "- note\n \t![tab](art/a.png)\n\n![gone](art/none.png)\n")
PAGE = ('<!doctype html>\n<title>Pitch</title>\n<!-- old poster: ../art/a.png -->\n'
        '<img src="../art/a.png">\n<script>preload("/art/a.png")</script>\n'
        '<div style="background:url(../art/a&#x2e;png)"></div>\n')
STYLE = '/* hero: ../art/a.png */\n.h { background: url(../art/a.png) }\n' \
        '.c::after { content: "art/a.png" }\n'
ENTITY = "![e](../art/a&#x2e;png)\n"  # its only extension hides behind a character reference


def test_plan_and_verify_list_what_is_left_alone(tmp_path: Path, env: dict[str, str]) -> None:
    repo = LfsRepo(tmp_path / "pitch")
    repo.commit_files({"art/a.png": png("a"), "README.md": README, "site/index.html": PAGE,
                       "site/site.css": STYLE, "docs/entity.md": ENTITY}, "pitch")
    plan = offload(repo, env, "migrate", "plan", "--json")
    assert plan.rc == 0, plan.output
    refs = plan.json()["references"]
    listed = [("README.md", 3, "art/a|b.png", NOT_FOUND),
              ("site/index.html", 3, "../art/a.png", IN_HTML_COMMENT),
              ("site/index.html", 5, "/art/a.png", "in script text"),
              ("site/index.html", 6, "../art/a&#x2e;png", HTML_ENTITY),
              ("site/site.css", 1, "../art/a.png", IN_CSS_COMMENT),
              ("site/site.css", 3, "art/a.png", IN_CSS_STRING)]
    assert [(r["file"], r["line"], r["target"], r["reason"]) for r in refs["left_alone"]] == listed
    # one row per (document, target): README's art/a.png is in its table and its tab-indented line
    assert sorted((r["file"], r["line"]) for r in refs["rewrite"]) == [
        ("README.md", 3), ("docs/entity.md", 1), ("site/index.html", 4), ("site/site.css", 2)]

    run = offload(repo, env, "migrate", "run", PLAN, "--force")
    assert run.rc == 0, run.output
    after = {name: repo.git("show", f"HEAD:{name}") + "\n"
             for name in ("README.md", "site/index.html", "site/site.css", "docs/entity.md")}
    assert "| 1 | ![a](art/a\\|b.png) \\| ![a](https://" in after["README.md"]
    assert "![tab](art/a.png)" not in after["README.md"]
    assert "a&#x2e;png" not in after["docs/entity.md"]
    for line in ("<!-- old poster: ../art/a.png -->", 'preload("/art/a.png")',
                 "url(../art/a&#x2e;png)"):
        assert line in after["site/index.html"]
    assert after["site/site.css"].startswith("/* hero: ../art/a.png */\n")
    assert 'content: "art/a.png"' in after["site/site.css"]

    verify = offload(repo, env, "migrate", "verify", PLAN, "--json")
    assert verify.rc == 0, verify.output  # warnings, not problems
    rows = [(r["file"], r["line"], r["target"], r["reason"]) for r in verify.json()["left_alone"]]
    assert rows == sorted([*listed, ("README.md", 8, "art/none.png", "resolves to nothing")])
    human = offload(repo, env, "migrate", "verify", PLAN)
    assert human.rc == 0, human.output
    lines = human.stdout.splitlines()
    assert lines[0] == "ok: verification passed"
    assert "left as written, as the plan lists (warnings, not problems): 7" in lines
    assert "  site/index.html:5  /art/a.png  (in script text)" in lines


def test_verify_report_shows_the_first_rows_printably(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    from offload.cli.migrate_report import print_result

    rows = [{"file": "a.md", "line": n, "target": f"[b]x{n}.png", "reason": "in code"}
            for n in range(1, 13)]
    rows[0]["target"] = "evil\x1b[2J.png"
    print_result({"ok": True, "commits_checked": 1, "problem_count": 0, "left_alone": rows})
    out = capsys.readouterr().out.splitlines()
    assert "left as written, as the plan lists (warnings, not problems): 12" in out
    assert "  a.md:1  evil\\x1b[2J.png  (in code)" in out  # no terminal escape reaches a user
    assert "  a.md:10  [b]x10.png  (in code)" in out  # brackets are text, not rich markup
    assert not any("x11.png" in line for line in out)
    assert any(line.startswith("  … and 2 more") for line in out)
