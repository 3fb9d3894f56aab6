"""Browser fixtures: one Voila server for the session, one Chromium, a fresh page per test.

The helpers that drive a lab live in ``voila_browser.py`` (shared with the UI benchmarks).
These tests check behaviour, and hold the labs to budgets a learner would notice (``test_labs.py``);
medians and p90s of first render and slider latency are measured by ``benchmarks/bench_ui.py``.
"""

from __future__ import annotations

import os

import pytest
from voila_browser import CHROMIUM, QUIET_CHROMIUM, ROOT, VoilaServer, new_page


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def voila_url():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs the Debian package")
    # many tests share this server: a generous kernel cap keeps a slow culler from failing one of them, and the
    # pages some tests generate under test-artifacts/ are served beside the course's own folders
    with VoilaServer(ROOT, args=("--max-kernels", "64", "--extra-folder", "test-artifacts")) as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=QUIET_CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    page = new_page(chromium)
    yield page
    page.context.close()
