"""Headless Chromium through selenium for the gallery's browser tests (registered from
tests/conftest.py). One browser per test module; screenshots are listed when a test fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
)
PAGE_LOAD_TIMEOUT = 30
SCRIPT_TIMEOUT = 10


def find_browser() -> tuple[str, str] | None:
    """(chromium, chromedriver) executables, or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def start_chromium(profile: Path) -> Any:
    found = find_browser()
    if found is None:
        pytest.skip("chromium and chromedriver are not installed "
                    "(Debian: apt-get install chromium chromium-driver; `make test` does it "
                    "as root)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("the selenium package is not installed (pip install -e '.[test]')")
    chromium, driver_path = found
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    driver.set_script_timeout(SCRIPT_TIMEOUT)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium (selenium WebDriver) with a fresh profile, one per test module."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshot(browser: Any, tmp_path: Path,
               request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """``screenshot(name)`` saves the current page under the test's tmp dir; the paths are
    printed in the report when the test fails."""
    saved: list[Path] = []
    request.node.stash[_SHOTS] = saved

    def take(name: str) -> Path:
        target = tmp_path / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(target))
        saved.append(target)
        return target

    return take


_SHOTS = pytest.StashKey[list[Path]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    shots = item.stash.get(_SHOTS, [])
    if report.failed and shots:
        report.sections.append(("screenshots", "\n".join(str(p) for p in shots)))
    return report
