"""Lab 07 (community health dashboard) in Voila, in Chromium: a bundled dataset is drawn next to a simulated
community, another dataset can be picked, and nothing leaves 127.0.0.1."""

import pytest
from voila_browser import console_errors, lesson07_message_count, monitor_text, offsite_requests, open_lab, screenshot

from communitylab import i18n

LESSON = "notebooks/{folder}/07_community_health.ipynb"
CHARTS = 6


def charts_drawn(page) -> int:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.cl-dashboard .cl-chart'))"
        ".filter(c => c.querySelector('svg.marks path, svg.marks rect, svg.marks line')).length"
    )


@pytest.mark.parametrize(
    ("folder", "title", "simulated"),
    [("en", "Community health", "moderated (simulated)"), ("zh", "社群健康", "有人运营（模拟）")],
)
def test_lab07_draws_a_bundled_dataset_compares_and_stays_offline(page, voila_url, folder, title, simulated):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    assert title in page.inner_text(".cl-dashboard .cl-title")
    # the lesson leaves the Telegram group open, compared with the moderated simulated community
    page.wait_for_function(
        f"() => document.querySelector('.cl-dashboard .cl-monitors').innerText.includes('{lesson07_message_count()}')",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.cl-dashboard .cl-monitor-sim').length === 10", timeout=60_000
    )
    page.wait_for_function(
        f"() => document.querySelectorAll('.cl-dashboard .cl-chart svg.marks').length === {CHARTS}", timeout=60_000
    )
    assert charts_drawn(page) == CHARTS

    # pick the WeChat study group from the dropdown: the comparison follows the new dataset
    # the menu shows each export by its title and file, in the page's language (the option's DOM value is its label)
    lang = "zh_CN" if folder == "zh" else "en"
    label = i18n.t(
        "dashboard.ui.dataset_option",
        lang,
        title=i18n.t("dashboard.datasets.wechat-study-group", lang),
        file="wechatmsg.csv",
    )
    page.locator(".cl-dashboard .widget-dropdown select").first.select_option(label=label)
    page.wait_for_function(
        "() => document.querySelector('.cl-dashboard .cl-monitors').innerText.includes('3,402')", timeout=60_000
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.cl-dashboard .cl-monitor-sim').length === 10", timeout=60_000
    )
    assert simulated in monitor_text(page)
    page.wait_for_timeout(500)  # let the charts take their new specs
    assert charts_drawn(page) == CHARTS

    screenshot(page, f"lab07-{folder}", selector=".cl-dashboard")
    assert offsite_requests(page) == []
    assert console_errors(page) == []
