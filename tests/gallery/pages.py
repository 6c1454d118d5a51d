"""Selenium helpers for the gallery's browser tests: bounded waits, page queries."""

from __future__ import annotations

from typing import Any

WAIT = 20  # seconds, an upper bound for a page's images on a busy machine


def wait_for_images(browser: Any) -> list[int]:
    until(browser, lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete)"))
    widths: list[int] = browser.execute_script(
        "return Array.from(document.images).map(i => i.naturalWidth)")
    return widths


def until(browser: Any, condition: Any) -> Any:
    """Wait (bounded) until ``condition(browser)`` is truthy; a timeout fails the test."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT).until(condition)


def open_link(browser: Any, text: str, marker: str) -> None:
    """Click a link and wait until the new page has an element with id ``marker``."""
    browser.find_element("link text", text).click()
    until(browser, lambda d: d.find_elements("id", marker))


def visible_cards(browser: Any) -> list[str]:
    return [c.text.splitlines()[0] for c in browser.find_elements("css selector", ".card")
            if c.is_displayed()]
