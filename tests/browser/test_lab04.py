"""Lab 04 in Voila, in Chromium: it draws, a slider key and a preset move chart and monitors, nothing leaves 127.0.0.1."""

import re

import pytest
from voila_browser import (
    chart_signature,
    choose_preset,
    console_errors,
    monitor_text,
    offsite_requests,
    open_lab,
    press_and_time,
    screenshot,
    wait_for_monitors_change,
)

LESSON = "notebooks/{folder}/04_monetization.ipynb"
PRICE_HANDLE = ".cl-param-price .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "notice", "pin"),
    [
        ("en", "Monetization", "Paid group, hard selling (1.5)", "Things to notice", "Pin this run"),
        ("zh", "变现", "付费群强力推销（力度 1.5）", "值得注意的现象", "固定本次运行"),
    ],
)
def test_lab04_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, notice, pin):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    assert chart_before and re.search(r"\d", monitors_before)
    assert "¥52,985" in monitors_before

    assert press_and_time(page, PRICE_HANDLE, "ArrowRight") > 0
    wait_for_monitors_change(page, monitors_before)
    assert chart_signature(page) != chart_before

    # pin this run, so the preset's run is drawn beside a grey ghost (and the screenshot shows one)
    page.locator(".cl-sidebar button", has_text=pin).click()
    page.wait_for_selector(".cl-chart path[stroke-dasharray]", state="attached")
    choose_preset(page, preset)
    assert "¥15,273" in monitor_text(page)  # hard selling collects less than a third of the default
    assert notice in page.inner_text(".cl-info")

    screenshot(page, f"lab04-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
