"""Browser tests: Playwright (sync API) driving Debian's chromium against the live server."""

import os
import shutil

import pytest

from tests.factories import load_region_preset

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module", autouse=True)
def _region_preset_after_flush(region_preset_after_flush):
    """Live-server tests flush the database when they end."""


@pytest.fixture
def region_preset(transactional_db):
    """The region preset, loaded again: an earlier live-server test flushed it."""
    load_region_preset()


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Install Debian's chromium: apt-get install -y chromium")
    return path


@pytest.fixture
def page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
