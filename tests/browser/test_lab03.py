"""Lab 03 in Voila, in Chromium: it draws, a slider and a preset move chart and monitors, nothing leaves 127.0.0.1."""

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

LESSON = "notebooks/{folder}/03_participation_design.ipynb"
MEMBERS_HANDLE = ".cl-param-members .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "never"),
    [("en", "death spiral", "Daily check-in from day 0", "never"), ("zh", "死亡螺旋", "从第 0 天起每日打卡", "从未")],
)
def test_lab03_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, never):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    assert chart_before and "57" in monitors_before  # seed 0 goes quiet on day 57

    # a key press on a slider: a few more members delay the quiet day (critical mass)
    latency_ms = press_and_time(page, MEMBERS_HANDLE, "ArrowRight")
    assert latency_ms > 0
    wait_for_monitors_change(page, monitors_before)
    assert chart_signature(page) != chart_before
    assert "59" in monitor_text(page) or "60" in monitor_text(page)  # 510 or 512 members, by slider kind

    # a preset from the dropdown: the check-in ritual keeps the group alive, and the monitor says so in words
    choose_preset(page, preset)
    assert re.search(never, monitor_text(page))

    info = page.inner_text(".cl-info")
    assert ("Things to notice" in info) if folder == "en" else ("值得注意的现象" in info)
    screenshot(page, f"lab03-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
