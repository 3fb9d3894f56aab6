"""The landing page in Voila, in Chromium: it always renders, in the language asked for, whatever the wait.

The landing notebook runs in a preheated kernel long before anyone opens it; its
language must still follow ``?lang=`` and the page must render however long the
kernel has waited (it used to block on the request and time out after the cell
timeout, then serve "Cell execution timed out" to every visitor).
"""

import time

import pytest
from voila_browser import VoilaServer, console_errors, offsite_requests, screenshot

LANDING = "/voila/render/notebooks/index.ipynb"
#: Cell timeout of the server under test (s): short, so waiting longer than it keeps the test short.
CELL_TIMEOUT_S = 10
TITLES = {"en": "Value positioning", "zh_CN": "价值定位"}


def open_landing(page, url: str, lang: str) -> str:
    page.goto(f"{url}{LANDING}?lang={lang}", timeout=90_000)
    page.wait_for_selector(".cl-card", timeout=90_000)
    return page.inner_text(".cl-cards")


def test_landing_page_lists_modules_and_switches_language(page, voila_url):
    page.goto(f"{voila_url}{LANDING}", timeout=90_000)
    page.wait_for_selector(".cl-card", timeout=90_000)
    assert page.locator(".cl-card").count() >= 2
    assert TITLES["en"] in page.inner_text(".cl-cards")
    assert "'en'" not in page.inner_text("body")  # the hidden start() cell shows no output
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => document.querySelector('.cl-cards').innerText.includes('价值定位')")
    href = page.locator(".cl-card a").first.get_attribute("href")
    assert href.startswith("zh/") and "lang=zh_CN" in href
    screenshot(page, "landing-zh", selector=".cl-map")
    assert offsite_requests(page) == []
    assert console_errors(page) == []


@pytest.fixture(scope="module")
def idle_landing_server():
    """A server whose landing page has a preheated kernel that then waits longer than the cell timeout."""
    args = ("--room", "1", "--lessons", "00", "--cell-timeout", str(CELL_TIMEOUT_S))
    with VoilaServer(lang="en", args=args) as server:
        server.wait_for_pools(2)
        yield server


def test_preheated_landing_page_renders_after_idling_past_the_cell_timeout_in_en_and_zh(chromium, idle_landing_server):
    from voila_browser import new_page

    server = idle_landing_server
    time.sleep(CELL_TIMEOUT_S + 5)  # the preheated kernel has finished its notebook and sat idle past the timeout
    for lang in ("en", "zh_CN", "en", "zh_CN"):  # the first from the pool, the rest in quick succession
        page = new_page(chromium)
        text = open_landing(page, server.url, lang)
        assert TITLES[lang] in text, f"landing page in {lang} showed: {text[:200]}"
        assert "timed out" not in page.inner_text("body").lower()
        if lang == "zh_CN":
            screenshot(page, "landing-after-idle-zh", selector=".cl-map")
        assert offsite_requests(page) == []
        page.context.close()
    assert "Using pre-heated kernel" in server.log()
    assert "timed out" not in server.log().lower()


def test_the_course_map_at_the_servers_address_opens_a_lesson_in_its_language(page, voila_url):
    page.goto(f"{voila_url}/?lang=zh_CN", timeout=60_000)
    assert TITLES["zh_CN"] in page.inner_text(".cl-cards")
    screenshot(page, "course-map-zh", selector=".cl-map")
    page.get_by_role("link", name=TITLES["zh_CN"]).click()
    page.wait_for_selector(".cl-chart svg.marks", state="attached", timeout=90_000)
    assert "/voila/render/notebooks/zh/01_value_positioning.ipynb" in page.url
    assert offsite_requests(page) == []
