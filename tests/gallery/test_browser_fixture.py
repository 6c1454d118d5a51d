"""The browser fixture starts a real headless Chromium with the flags and profile it promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_headless_chromium_renders_a_local_page(browser: Any, tmp_path: Path,
                                                screenshot: Any) -> None:
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><title>probe</title><h1 id=h>rendered</h1>", "utf-8")
    browser.get(page.as_uri())
    assert browser.title == "probe"
    assert browser.find_element("id", "h").text == "rendered"
    user_agent = browser.execute_script("return navigator.userAgent")
    assert "HeadlessChrome" in user_agent
    assert screenshot("probe").stat().st_size > 0
