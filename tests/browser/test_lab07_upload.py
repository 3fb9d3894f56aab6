"""Lab 07 uploads in Voila, in Chromium: a file too large for one websocket message is stopped in the
browser with a message in the learner's language; files that fit arrive and are imported."""

import pytest
from voila_browser import console_errors, lesson07_message_count, offsite_requests, open_lab, screenshot

LESSON = "notebooks/{folder}/07_community_health.ipynb"
PICKER = ".cl-dashboard .cl-file-input"
MiB = 2**20


def _notebook_done(page) -> None:
    """The lesson's dataset (the Telegram launch group) is on screen."""
    page.wait_for_function(
        f"() => document.querySelector('.cl-dashboard .cl-monitors').innerText.includes('{lesson07_message_count()}')",
        timeout=60_000,
    )


STATUS = ".cl-dashboard .cl-status-line"


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("en", "“group-export.csv” is 12.0 MB; the limit here is 9.5 MB, so it was not sent."),
        ("zh", "“group-export.csv”有 12.0 MB，这里的上限是 9.5 MB，所以没有发送。"),
    ],
)
def test_a_file_over_the_limit_gets_a_message_in_the_page(page, voila_url, folder, message):
    open_lab(page, voila_url, LESSON.format(folder=folder))
    _notebook_done(page)
    big = {"name": "group-export.csv", "mimeType": "text/csv", "buffer": b"x" * (12 * MiB)}
    page.set_input_files(PICKER, files=[big])
    error = page.wait_for_selector(f"{STATUS} .cl-error", timeout=30_000)
    assert message in error.inner_text()
    # the data on screen is kept
    assert lesson07_message_count() in page.inner_text(".cl-dashboard .cl-monitors")
    screenshot(page, f"lab07-upload-too-large-{folder}", selector=".cl-dashboard")
    assert offsite_requests(page) == []
    assert console_errors(page) == []


def test_files_that_fit_arrive_even_near_the_limit(page, voila_url):
    open_lab(page, voila_url, LESSON.format(folder="en"))
    _notebook_done(page)
    # a WhatsApp export just under the limit: one message a minute from 2024-01-01 on
    lines, size, minute = [], 0, 0
    while True:
        day, rest = divmod(minute, 24 * 60)
        stamp = f"{1 + day % 28}/{1 + day // 28 % 12}/{24 + day // 336}, {rest // 60:02d}:{rest % 60:02d}"
        line = f"{stamp} - Member {minute % 40}: message number {minute} about the weekly reading\n"
        if size + len(line.encode()) > 9.4 * MiB:
            break
        lines.append(line)
        size += len(line.encode())
        minute += 1
    near_limit = {"name": "chat.txt", "mimeType": "text/plain", "buffer": "".join(lines).encode()}
    page.set_input_files(PICKER, files=[near_limit])
    page.wait_for_function(
        f"() => document.querySelector('{STATUS}').innerText.includes('chat.txt, WhatsApp')", timeout=120_000
    )
    assert f"{len(lines):,} messages" in page.inner_text(STATUS)
    assert page.locator(f"{STATUS} .cl-error").count() == 0
    assert console_errors(page) == []
