"""migrate run warns, once, when the documents it rewrites now hold file:// URLs (no warning
with a public URL: tests/migrate/test_small_rerun_after_rollback.py)."""

from __future__ import annotations

from testing.repos import GitRepo

from .helpers import PLAN, offload


def test_run_on_the_local_store_warns_about_file_urls(clone: GitRepo) -> None:
    local: dict[str, str] = {}  # no OFFLOAD_STORE / OFFLOAD_PUBLIC_URL: the embedded store
    assert offload(clone, local, "migrate", "plan").rc == 0
    result = offload(clone, local, "migrate", "run", PLAN)
    assert result.rc == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: 3 document(s) now hold file:// URLs, which open only on this "
                        "machine: data/cast.json, docs/story.md, scenes/s1.html"], result.stderr
    assert "next: set `public_url:`" in result.stderr

