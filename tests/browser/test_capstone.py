"""The capstone room in Voila, in Chromium: two teams submit from two pages, the leaderboard page shows both in the
right order without a reload; screenshots of the panel and of a leaderboard with several teams."""

from __future__ import annotations

import pytest
from voila_browser import SCREENSHOTS, VoilaServer, console_errors, new_page, offsite_requests, screenshot

from communitylab.capstone import plan, room, scoring

PANEL = "notebooks/{folder}/08_capstone.ipynb"
BOARD = "notebooks/{folder}/08_leaderboard.ipynb"
TIMEOUT = 90_000


@pytest.fixture
def room_server(tmp_path, monkeypatch):
    """A Voila server whose kernels share the room folder ``tmp_path / "room"``."""
    folder = tmp_path / "room"
    monkeypatch.setenv("COMMUNITYLAB_ROOM", str(folder))
    with VoilaServer() as server:
        yield server.url, folder


def _open(page, url: str, path: str) -> None:
    page.goto(f"{url}/voila/render/{path}", timeout=TIMEOUT)
    page.wait_for_selector(".cl-capstone .cl-title", timeout=TIMEOUT)


def _submit_from_panel(page, team: str, checkin: bool) -> None:
    """What a team does: commit a prediction, set a lever, name the team, submit; the panel confirms."""
    page.locator(".cl-capstone button.mod-info").click()  # "Commit our prediction"
    submit = page.locator(".cl-capstone button.mod-success")
    page.wait_for_function("(b) => !b.disabled", arg=submit.element_handle(), timeout=30_000)
    if checkin:
        page.locator(".cl-lever-checkin input[type=checkbox]").check()
    page.locator(".cl-team input").fill(team)
    page.locator(".cl-team input").press("Enter")
    submit.click()
    page.wait_for_selector(f".cl-ok:has-text('{team}')", timeout=30_000)


def _board_text(page) -> str:
    return page.evaluate("() => document.querySelector('.cl-capstone').textContent")


def test_two_teams_submit_and_the_leaderboard_ranks_both_without_a_reload(chromium, room_server):
    url, folder = room_server
    board = new_page(chromium)
    _open(board, url, BOARD.format(folder="en"))
    board.wait_for_selector(".cl-board-empty", timeout=TIMEOUT)

    first, second = new_page(chromium), new_page(chromium)
    _open(first, url, PANEL.format(folder="en"))
    _open(second, url, PANEL.format(folder="zh"))
    _submit_from_panel(first, "Alpha", checkin=False)
    _submit_from_panel(second, "Beta", checkin=True)

    # the order the scorer gives these two plans
    plans = {"Alpha": plan.make_plan({}), "Beta": plan.make_plan({"checkin": True})}
    rows = scoring.leaderboard(room.load(folder)[0])
    assert {row.team: row.params for row in rows} == plans
    expected = [f"{row.rank}. {row.team}" for row in rows]

    # within a few seconds, without a reload, both rows appear in that order
    board.wait_for_function(
        "(labels) => { const t = document.querySelector('.cl-board') ? document.querySelector('.cl-board').textContent : '';"
        " return labels.every(l => t.includes(l)); }",
        arg=expected,
        timeout=20_000,
    )
    text = _board_text(board)
    assert "2 teams" in text and text.index(expected[0]) < text.index(expected[1])
    for page in (board, first, second):
        assert offsite_requests(page) == [] and console_errors(page) == []
        page.context.close()


TEAMS = {
    "Coffee roasters": {"niche_width": 0.05, "posts_per_day": 10, "checkin": True, "follow_up_share": 0.6},
    "Language school": {"checkin": True},
    "Knitting circle": {"niche_width": 0.05, "posts_per_day": 10, "checkin": True, "followers": 100},
    "Hard sellers": {"selling_intensity": 1.5, "price": 100},
    "Influencer": {"followers": 1_000_000, "follow_up_share": 0.0, "loop_closure": 0.0},
    "Defaults": {},
    "App builders": {"checkin": True, "app": True, "mini_program": True, "campaign_every_days": 14},
}

TEAMS_ZH = ("咖啡烘焙组", "语言学校", "毛线编织圈", "硬推销组", "大 V 组", "默认方案组", "App 组")


@pytest.mark.parametrize(
    ("folder", "query", "lang_word"), [("en", "", "Holding back"), ("zh", "?lang=zh_CN", "拖后腿")]
)
def test_screenshots_of_a_full_leaderboard_and_of_the_panel(chromium, room_server, folder, query, lang_word):
    url, folder_path = room_server
    for index, (team, levers) in enumerate(TEAMS.items()):  # a Chinese room names its teams in Chinese
        room.submit(folder_path, team if folder == "en" else TEAMS_ZH[index], plan.make_plan(levers))
    page = new_page(chromium)
    _open(page, url, BOARD.format(folder=folder) + query)
    page.wait_for_selector(".cl-board svg.marks", timeout=TIMEOUT)
    page.wait_for_function(
        "(n) => document.querySelector('.cl-board').textContent.includes(n + '. ')", arg=len(TEAMS), timeout=TIMEOUT
    )
    assert lang_word in _board_text(page)
    screenshot(page, f"leaderboard-{folder}")
    # open a row: its trajectory beside the median team's
    page.locator(".cl-capstone .widget-dropdown select").select_option(index=1)
    page.wait_for_selector(".cl-detail-chart svg.marks", timeout=30_000)
    screenshot(page, f"leaderboard-{folder}-open", selector=".cl-detail-chart")
    assert offsite_requests(page) == [] and console_errors(page) == []

    panel = new_page(chromium)
    _open(panel, url, PANEL.format(folder=folder) + query)
    panel.locator(".cl-capstone button.mod-info").click()
    panel.locator(".cl-capstone button.mod-primary").click()
    panel.wait_for_selector(".cl-compare", timeout=60_000)
    screenshot(panel, f"lab08-{folder}")
    assert offsite_requests(panel) == [] and console_errors(panel) == []
    assert (SCREENSHOTS / f"lab08-{folder}-1280x800.png").exists()
    page.context.close()
    panel.context.close()
