"""`offload gallery build` opened from file:// in a real headless Chromium: the same gallery."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from testing.cli import run_offload
from testing.repos import GitRepo
from tests.gallery.pages import open_link, until, visible_cards, wait_for_images
from tests.gallery.sample import FAMILIES, NINA, PROMPTS


@pytest.fixture(scope="module")
def index_url(sample: GitRepo, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("static") / "gallery"
    result = run_offload("gallery", "build", "-o", out, cwd=sample.path)
    assert result.rc == 0, result.output
    url = result.stdout.strip()
    assert url == (out / "index.html").as_uri()
    return url


def test_static_index_filter_and_asset_page_from_file_urls(
        browser: Any, index_url: str, screenshot: Callable[[str], Path]) -> None:
    browser.get(index_url)
    widths = wait_for_images(browser)
    screenshot("static-index")
    assert set(visible_cards(browser)) == FAMILIES
    assert len(widths) == len(FAMILIES) and all(w > 0 for w in widths), widths
    assert browser.find_element("id", "totals").text.startswith("4 assets · 7 versions")

    browser.find_element("id", "q").send_keys("nina")
    until(browser, lambda d: visible_cards(d) == [NINA])

    open_link(browser, NINA, "versions")
    widths = wait_for_images(browser)
    screenshot("static-asset")
    assert browser.current_url.startswith("file://") and all(w > 0 for w in widths), widths
    versions = browser.find_elements("css selector", "#versions > li")
    assert [v.find_element("css selector", "dd.prompt").text for v in versions] == \
        [PROMPTS["v3"], PROMPTS["v2"], PROMPTS["v1"]]
    steps = browser.find_elements("css selector", "#lineage > li")
    assert [s.get_attribute("data-label") for s in steps] == ["v1", "v2", "v3"]
    assert not browser.find_elements("css selector", "form.approve")  # read-only when static
