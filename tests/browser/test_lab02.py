"""Lab 02 in Voila, in Chromium: it draws, a slider key and a preset move chart and monitors, nothing leaves 127.0.0.1."""

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

LESSON = "notebooks/{folder}/02_closed_loop_service.ipynb"
FOLLOW_UP_HANDLE = ".cl-param-follow_up_share .noUi-handle"


@pytest.mark.parametrize(
    ("folder", "title", "preset", "notice", "pin"),
    [
        ("en", "Closed-loop service", "Overloaded WeChat group (5× the issues)", "Things to notice", "Pin this run"),
        ("zh", "闭环服务", "过载的微信群（问题多 5 倍）", "值得注意的现象", "固定本次运行"),
    ],
)
def test_lab02_renders_reacts_and_stays_offline(page, voila_url, folder, title, preset, notice, pin):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-title")
    chart_before, monitors_before = chart_signature(page), monitor_text(page)
    assert chart_before and re.search(r"\d", monitors_before)

    # one step more personal follow-up (the onboarding group starts unfolded)
    assert press_and_time(page, FOLLOW_UP_HANDLE, "ArrowRight") > 0
    wait_for_monitors_change(page, monitors_before)
    assert chart_signature(page) != chart_before

    # pin this run, so the preset's run is drawn beside a grey ghost (and the screenshot shows one)
    page.locator(".cl-sidebar button", has_text=pin).click()
    page.wait_for_selector(".cl-chart path[stroke-dasharray]", state="attached")
    choose_preset(page, preset)
    assert "85 %" in monitor_text(page)  # most issues of the overloaded group go unanswered
    assert notice in page.inner_text(".cl-info")

    screenshot(page, f"lab02-{folder}")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
