"""The gallery of `offload serve` in a real headless Chromium (one browser for the module)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.repos import GitRepo
from tests.gallery.pages import open_link, until, visible_cards, wait_for_images
from tests.gallery.sample import FAMILIES, NINA, PROMPTS, serving


@pytest.fixture(scope="module")
def base(sample: GitRepo) -> Iterator[str]:
    with serving(sample) as url:
        yield url


def test_index_lists_assets_and_every_thumbnail_loads(
        browser: Any, base: str, screenshot: Callable[[str], Path]) -> None:
    browser.get(base + "/")
    widths = wait_for_images(browser)
    screenshot("index")
    assert set(visible_cards(browser)) == FAMILIES
    assert len(widths) == len(FAMILIES) and all(w > 0 for w in widths), widths
    totals = browser.find_element("id", "totals").text
    assert totals.startswith("4 assets · 7 versions")
    groups = [h.text for h in browser.find_elements("css selector", "section.group h2")]
    assert groups == ["Characters (1)", "Scenes & storyboards (2)", "Other (1)"]


def test_asset_page_shows_versions_prompts_and_lineage(
        browser: Any, base: str, screenshot: Callable[[str], Path]) -> None:
    browser.get(base + "/")
    open_link(browser, NINA, "versions")
    widths = wait_for_images(browser)
    screenshot("asset")
    assert widths and all(w > 0 for w in widths), widths
    versions = browser.find_elements("css selector", "#versions > li")
    assert [v.get_attribute("data-label") for v in versions] == ["v3", "v2", "v1"]
    prompts = [v.find_element("css selector", "dd.prompt").text for v in versions]
    assert prompts == [PROMPTS["v3"], PROMPTS["v2"], PROMPTS["v1"]]
    steps = browser.find_elements("css selector", "#lineage > li")
    assert [s.get_attribute("data-label") for s in steps] == ["v1", "v2", "v3"]
    fixes = [s.find_element("css selector", ".fix").text for s in steps]
    assert fixes == ["text-to-image", "fixed: three-quarter", "fixed: side"]
    chain = versions[0].find_element("css selector", "dd.chain").text
    assert chain == "v3 ← v2 ← v1"


def test_compare_picker_and_slider(browser: Any, base: str) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(f"{base}/_gallery/live/asset?f={NINA}")
    Select(browser.find_element("id", "compare-b")).select_by_value("v1")
    src = until(browser, lambda d: (s := d.find_element("id", "compare-b-img")
                                    .get_attribute("src")) and "/v1." in s and s)
    assert src.endswith(".png")
    assert browser.find_element("id", "overlay-b").get_attribute("src") == src
    browser.execute_script("const s = document.getElementById('slider'); s.value = 20;"
                           "s.dispatchEvent(new Event('input'));")
    position = browser.execute_script(
        "return document.getElementById('overlay').style.getPropertyValue('--pos')")
    assert position == "20%"


def test_filter_narrows_the_grid(browser: Any, base: str) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get(base + "/")
    box = browser.find_element("id", "q")
    box.send_keys("board")
    until(browser, lambda d: visible_cards(d) == ["storyboards/board1.png"])  # as one types
    box.send_keys(Keys.ENTER)  # and by the server, without JavaScript
    until(browser, lambda d: "q=board" in d.current_url)
    assert [c.text.splitlines()[0] for c in browser.find_elements("css selector", ".card")] \
        == ["storyboards/board1.png"]
    browser.get(base + "/?source=generate")
    assert visible_cards(browser) == [NINA]


def test_approving_in_the_page_changes_offload_lock(browser: Any, base: str,
                                                   sample: GitRepo) -> None:
    browser.get(f"{base}/_gallery/live/asset?f={NINA}")
    browser.find_element("xpath", "//button[text()='Approve v2']").click()
    until(browser, lambda d: d.find_elements("id", "approved"))
    assert browser.find_element("id", "approved").text == "v2"
    lines = [json.loads(line) for line in (sample.path / "offload.lock").read_text().splitlines()]
    approved = [r["path"] for r in lines if r.get("meta", {}).get("approved") is True]
    assert approved == [f"{NINA}/v2.png"]
