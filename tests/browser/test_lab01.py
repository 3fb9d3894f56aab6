"""Lab 01 in Voila, in Chromium: it draws, a slider moves chart and monitors, nothing leaves 127.0.0.1."""

import re
import time

import pytest
from voila_browser import (
    ROOT,
    VoilaServer,
    chart_signature,
    console_errors,
    monitor_text,
    offsite_requests,
    open_lab,
    press_and_time,
    screenshot,
    wait_for_monitors_change,
)

LESSON = "notebooks/{folder}/01_value_positioning.ipynb"
NICHE_HANDLE = ".cl-param-niche_width .noUi-handle"


@pytest.mark.parametrize(("folder", "title"), [("en", "Value positioning"), ("zh", "价值定位")])
def test_lab01_renders_reacts_and_stays_offline(page, voila_url, folder, title):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    assert chart_before and re.search(r"\d", monitors_before)

    latency_ms = press_and_time(page, NICHE_HANDLE, "ArrowRight")
    assert latency_ms > 0
    wait_for_monitors_change(page, monitors_before)
    assert chart_signature(page) != chart_before
    assert monitor_text(page) != monitors_before
    # the Info panel is there with its NetLogo headings
    info = page.inner_text(".cl-info")
    assert ("Things to notice" in info) if folder == "en" else ("值得注意的现象" in info)

    screenshot(page, f"lab01-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []


def test_landing_page_lists_modules_and_switches_language(page, voila_url):
    page.goto(f"{voila_url}/voila/render/notebooks/index.ipynb", timeout=90_000)
    page.wait_for_selector(".cl-card", timeout=90_000)
    cards = page.locator(".cl-card")
    assert cards.count() >= 2
    assert "Value positioning" in page.inner_text(".cl-cards")
    assert "'en'" not in page.inner_text("body")  # the hidden start() cell shows no output
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => document.querySelector('.cl-cards').innerText.includes('价值定位')")
    href = page.locator(".cl-card a").first.get_attribute("href")
    assert href.startswith("zh/") and "lang=zh_CN" in href
    screenshot(page, "landing-zh", selector=".cl-map")
    assert offsite_requests(page) == []
    assert console_errors(page) == []


def test_preheated_landing_page_follows_lang_in_the_url(page):
    """A preheated kernel runs the landing page before anyone asks for it; ?lang= must still decide."""
    with VoilaServer(ROOT / "notebooks" / "index.ipynb", preheat=("index.ipynb",)) as server:
        deadline = time.monotonic() + 120
        while "is filled with" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert "is filled with" in server.log()
        page.goto(f"{server.url}/?lang=zh_CN", timeout=90_000)
        page.wait_for_selector(".cl-card", timeout=90_000)
        assert "价值定位" in page.inner_text(".cl-cards")
        assert "Using pre-heated kernel" in server.log()
    assert offsite_requests(page) == []
