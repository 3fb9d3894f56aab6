"""Faults during a workshop, in Chromium: the page says what happened in the learner's language and a reload recovers.

* a kernel killed under an open lesson (out of memory, a trainer's ``kill``): the
  page shows the "kernel stopped" notice; Reload gives a working lab again;
* the server restarted while pages are open: the page first says the connection
  is lost, then that the server restarted; Reload gives a working lab again.
"""

import signal

import pytest
from voila_browser import (
    VoilaServer,
    chart_signature,
    new_page,
    open_lab,
    page_kernel_id,
    press_and_time,
    screenshot,
)

from communitylab import i18n

LESSON = "notebooks/{folder}/01_value_positioning.ipynb"
HANDLE = ".cl-param-niche_width .noUi-handle"
FOLDERS = {"en": "en", "zh_CN": "zh"}


def notice(page, kind: str, timeout_ms: int = 60_000) -> str:
    """Wait for the page's fault notice of ``kind`` and return its text."""
    page.wait_for_selector(f"#cl-fault.cl-fault-{kind}", timeout=timeout_ms)
    return page.inner_text("#cl-fault")


def assert_lab_works(page) -> None:
    before = chart_signature(page)
    assert press_and_time(page, HANDLE, "ArrowRight") > 0
    assert chart_signature(page) != before


@pytest.fixture(scope="module")
def server():
    with VoilaServer(args=("--max-kernels", "16")) as server:
        yield server


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_killed_kernel_is_reported_in_the_learners_language_and_reload_recovers(chromium, server, lang):
    page = new_page(chromium)
    open_lab(page, server.url, LESSON.format(folder=FOLDERS[lang]))
    kernel_id = page_kernel_id(page)
    (kernel,) = [p for p in server.kernel_processes() if kernel_id in " ".join(p.cmdline())]
    kernel.send_signal(signal.SIGKILL)

    text = notice(page, "kernel_lost")
    assert i18n.t("serve.page.kernel_lost", lang) in text
    assert i18n.t("serve.page.reload", lang) in text
    screenshot(page, f"fault-kernel-died-{lang}", selector=None)

    page.locator("#cl-fault button").click()
    page.wait_for_selector(".cl-chart svg.marks", state="attached", timeout=90_000)
    assert page.locator("#cl-fault").count() == 0
    assert page_kernel_id(page) != kernel_id
    assert_lab_works(page)
    page.context.close()


def test_a_restarted_server_is_reported_and_reload_recovers(chromium, tmp_path):
    log = tmp_path / "voila.log"
    first = VoilaServer(args=("--max-kernels", "8"), log=log)
    with first:
        page = new_page(chromium)
        open_lab(page, first.url, LESSON.format(folder="zh"))
        assert first.stop(signal.SIGTERM) == 0
        assert i18n.t("serve.page.offline", "zh_CN") in notice(page, "offline")

    with VoilaServer(args=("--max-kernels", "8"), log=log, port=first.port):
        text = notice(page, "server_lost")
        assert i18n.t("serve.page.server_lost", "zh_CN") in text
        screenshot(page, "fault-server-restarted-zh_CN", selector=None)
        page.locator("#cl-fault button").click()
        page.wait_for_selector(".cl-chart svg.marks", state="attached", timeout=90_000)
        assert page.locator("#cl-fault").count() == 0
        assert_lab_works(page)
    page.context.close()
