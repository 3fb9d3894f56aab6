"""Lab 01 in Voila, in Chromium: it draws, a slider moves chart and monitors, nothing leaves 127.0.0.1."""

import re

import pytest
from voila_browser import (
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
