"""Lab 08 (capstone) in Voila, in Chromium: it draws, a slider and a preset move chart and monitors, nothing leaves 127.0.0.1."""

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

LESSON = "notebooks/{folder}/08_capstone.ipynb"
NICHE_HANDLE = ".cl-param-niche_width .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "pin", "assumption"),
    [
        ("en", "four pillars", "Sharp niche, check-in, closed loop", "Pin this run", "course assumption"),
        ("zh", "四大支柱", "垂直定位、每日打卡、服务闭环", "固定本次运行", "课程假设"),
    ],
)
def test_lab08_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, pin, assumption):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    # seed 0, default plan: 161 members, health score 48 (the group goes quiet)
    assert chart_before and "161" in monitors_before and "48" in monitors_before
    assert assumption in monitors_before and assumption in page.inner_text(".cl-chart")

    # a key press on the first slider of the open group: a slightly broader niche, a different score
    assert press_and_time(page, NICHE_HANDLE, "ArrowRight") > 0
    wait_for_monitors_change(page, monitors_before)
    assert "49" in monitor_text(page)

    # pin, then a preset from the dropdown: the sharp niche with a check-in keeps its group talking
    page.locator(".cl-lab button", has_text=pin).first.click()
    page.wait_for_function("() => document.querySelector('.cl-chart').innerText.includes('A')")
    choose_preset(page, preset)
    monitors = monitor_text(page)
    assert "230" in monitors and "493" in monitors and "71" in monitors

    info = page.inner_text(".cl-info")
    assert ("Things to notice" in info) if folder == "en" else ("值得注意的现象" in info)
    screenshot(page, f"lab08-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
