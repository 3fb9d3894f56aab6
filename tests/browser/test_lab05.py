"""Lab 05 in Voila, in Chromium: it draws, a preset and a slider move chart and monitors, nothing leaves 127.0.0.1."""

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

LESSON = "notebooks/{folder}/05_personal_brand.ipynb"
FORWARD_HANDLE = ".cl-param-forward_share .noUi-handle"
FOLLOWERS_HANDLE = ".cl-param-followers .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "group", "never", "half_day", "pin"),
    [
        ("en", "QR code", "Ordinary operator who pushes hard (R 1.2)", "Forwarding", "never", "9.4 h", "Pin this run"),
        ("zh", "二维码", "用力推广的普通运营者（R 1.2）", "转发", "达不到", "9.4 小时", "固定本次运行"),
    ],
)
def test_lab05_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, group, never, half_day, pin):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    # seed 0 with defaults: an ordinary account never reaches the scan limit, R 0.30
    assert chart_before and never in monitors_before and "0.30" in monitors_before

    # the first slider of the open group (followers) redraws the direct-wave bar even where nothing fills
    assert press_and_time(page, FOLLOWERS_HANDLE, "ArrowRight") > 0

    # pin the ordinary launch: it stays as a grey ghost next to the preset
    page.locator(".cl-lab button", has_text=pin).first.click()
    page.wait_for_function("() => document.querySelector('.cl-chart').innerText.includes('A')")

    # a preset from the dropdown: pushing hard with R 1.2 reaches the scan limit in about half a day
    choose_preset(page, preset)
    assert half_day in monitor_text(page) and "1.20" in monitor_text(page)

    # a key press on the forwarding slider: R moves, and so do the curves
    page.get_by_text(group, exact=True).first.click()
    page.locator(FORWARD_HANDLE).first.wait_for(state="visible")
    monitors_preset = monitor_text(page)
    assert press_and_time(page, FORWARD_HANDLE, "ArrowRight") > 0
    wait_for_monitors_change(page, monitors_preset)
    assert "1.22" in monitor_text(page)

    info = page.inner_text(".cl-info")
    assert ("Things to notice" in info) if folder == "en" else ("值得注意的现象" in info)
    screenshot(page, f"lab05-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
