"""Lab 06 in Voila, in Chromium: it draws, a slider and a preset move chart and monitors, nothing leaves 127.0.0.1."""

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

LESSON = "notebooks/{folder}/06_platform_migration.ipynb"
FATIGUE_HANDLE = ".cl-param-fatigue .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "funnel"),
    [
        ("en", "traffic migration", "Close WeChat on day 30", "3.4% / 0.6%"),
        ("zh", "流量迁移", "第 30 天关闭微信群", "3.4% / 0.6%"),
    ],
)
def test_lab06_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, funnel):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    assert chart_before and "627" in monitors_before and funnel in monitors_before  # seed 0, dual track

    # a key press on a slider: a little more fatigue per ask, fewer app members
    latency_ms = press_and_time(page, FATIGUE_HANDLE, "ArrowRight")
    assert latency_ms > 0
    wait_for_monitors_change(page, monitors_before)
    assert chart_signature(page) != chart_before

    # a preset from the dropdown: closing WeChat on day 30 leaves an eighth of the value
    choose_preset(page, preset)
    assert "465" in monitor_text(page)

    info = page.inner_text(".cl-info")
    assert ("Things to notice" in info) if folder == "en" else ("值得注意的现象" in info)
    screenshot(page, f"lab06-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
