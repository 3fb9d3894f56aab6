"""The room's leaderboard page: ranking, skipped files, opening a row, refreshing without a reload."""

from __future__ import annotations

import time

import pytest

from communitylab import i18n
from communitylab.capstone import plan, room
from communitylab.labs.capstone_board import Leaderboard


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")
    yield
    i18n.set_lang(None)


def _submit_two(folder):
    weak = {lever.name: lever.lo for lever in plan.LEVERS if not isinstance(lever.default, bool)}
    room.submit(folder, "Defaults", plan.make_plan({}))
    room.submit(folder, "Everything at its minimum", plan.make_plan(weak))


def test_an_empty_room_says_how_teams_submit(tmp_path):
    board = Leaderboard(room=tmp_path, seeds=3, interval=None)
    assert board.teams == [] and "No plan submitted yet" in board._empty.value
    board.close()


def test_teams_are_ranked_by_mean_score_and_a_bad_file_is_named(tmp_path):
    _submit_two(tmp_path)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    board = Leaderboard(room=tmp_path, seeds=3, interval=None)
    means = [row.score.mean for row in board.rows]
    assert sorted(board.teams) == ["Defaults", "Everything at its minimum"] and means == sorted(means, reverse=True)
    assert any("broken.json" in warning for warning in board.warnings) and "broken.json" in board._skipped.value
    text = str(board._chart.spec)
    assert f"1. {board.teams[0]}" in text and "Holding back" in text
    board.close()


def test_opening_a_row_shows_its_trajectory_beside_the_median_team(tmp_path):
    _submit_two(tmp_path)
    board = Leaderboard(room=tmp_path, seeds=3, interval=None)
    assert board._detail.layout.display == "none"
    board.open_team(board.teams[0])
    assert board._detail.layout.display is None and board.teams[0] in board._detail_title.value
    assert "Lever" in board._detail_table.value and "hconcat" in board._detail_chart.spec
    board.open_team(None)
    assert board._detail.layout.display == "none"
    board.close()


def test_a_new_submission_appears_without_a_reload(tmp_path):
    board = Leaderboard(room=tmp_path, seeds=3, interval=0.2)
    try:
        room.submit(tmp_path, "Late table", plan.make_plan({}))
        deadline = time.monotonic() + 10
        while "Late table" not in board.teams and time.monotonic() < deadline:
            time.sleep(0.1)
        assert board.teams == ["Late table"] and board._empty.value == ""
        assert not board.refresh()  # nothing changed since: no rescoring
    finally:
        board.close()


def test_the_board_switches_language(tmp_path):
    _submit_two(tmp_path)
    board = Leaderboard(room=tmp_path, seeds=3, interval=None)
    i18n.set_lang("zh_CN")
    assert "排行榜" in board._title.value and "拖后腿的支柱" in str(board._chart.spec)
    assert "2 个小组" in board._info.value
    board.close()
