"""Lesson 08's plan panel, driven from code: budget, predict-then-run, Try, Submit, language."""

from __future__ import annotations

import json

import pytest

from communitylab import i18n
from communitylab.capstone import plan, room
from communitylab.labs.capstone_panel import CapstonePanel


@pytest.fixture
def panel(tmp_path):
    i18n.set_lang("en")
    panel = CapstonePanel(room=tmp_path, seeds=3)
    yield panel
    panel.close()
    i18n.set_lang(None)


def _expensive() -> dict:
    """Every lever at the end of its range that costs most: far over any sane budget."""
    return {lever.name: (True if isinstance(lever.default, bool) else lever.hi) for lever in plan.LEVERS}


def test_every_lever_is_shown_under_the_module_that_taught_it(panel):
    assert set(panel.levers) == {lever.name for lever in plan.LEVERS}
    headings = {lesson: box.value for lesson, box in panel._headings.items()}
    assert {str(lever.lesson) for lever in plan.LEVERS} == set(headings)
    assert "Module 01 · Value positioning" in headings["01"]


def test_try_and_submit_wait_for_a_prediction(panel, tmp_path):
    assert not panel.submit_enabled and panel._try_button.disabled
    assert panel.try_plan() is None and panel.submit("Table 1") is None
    assert "prediction first" in panel.status_text and not list(tmp_path.iterdir())
    panel.predict(panel._predict_pillar.options[0][1], 40)
    assert panel.submit_enabled and not panel._try_button.disabled


def test_try_shows_the_score_beside_the_prediction(panel):
    pillar = panel._predict_pillar.options[0][1]
    panel.predict(pillar, 40)
    score = panel.try_plan()
    assert 0 <= score.p10 <= score.mean <= score.p90 <= 100
    assert "You predicted" in panel._comparison.value and f"{score.mean:.0f}" in panel._comparison.value
    assert f"{score.mean:.0f}" in panel._monitors["score"].value
    bars = panel._chart.spec["data"]["values"]
    assert len(bars) == len(score.pillars) and all(bar["share"] is not None for bar in bars)


def test_over_budget_turns_red_and_disables_submit(panel, tmp_path):
    panel.predict(panel._predict_pillar.options[0][1], 40)
    assert panel.budget.fits and panel.submit_enabled
    panel.set(**_expensive())
    assert not panel.budget.fits
    assert (
        not panel.submit_enabled and "cl-over" in panel._budget_html.value and "Over budget" in panel._budget_html.value
    )
    assert panel.submit("Table 1") is None and "Not submitted" in panel.status_text
    assert not list(tmp_path.glob("*.json"))
    panel.set(**{lever.name: lever.default for lever in plan.LEVERS})
    assert panel.submit_enabled and "cl-over" not in panel._budget_html.value


def test_an_out_of_range_value_names_the_lever_and_its_range(panel):
    lever = next(lever for lever in plan.LEVERS if not isinstance(lever.default, bool))
    before = panel.levers
    with pytest.raises(ValueError) as error:
        panel.set(**{lever.name: lever.hi * 10 + 1})
    message = str(error.value)
    assert i18n.t(f"community.param.{lever.name}.label") in message and f"{lever.hi:g}" in message
    assert panel.levers == before


def test_submit_writes_the_plan_to_the_room_and_a_resubmission_is_kept_too(panel, tmp_path):
    panel.predict(panel._predict_pillar.options[0][1], 40)
    assert panel.submit() is None and "team a name" in panel.status_text  # no team name yet
    first = panel.submit("Table 1")
    assert first is not None and first.exists() and "Submitted for team “Table 1”" in panel.status_text
    assert json.loads(first.read_text(encoding="utf-8"))  # a JSON file the room can load
    lever = next(lever for lever in plan.LEVERS if not isinstance(lever.default, bool) and lever.default != lever.lo)
    panel.set(**{lever.name: lever.lo})
    second = panel.submit()
    assert second is not None and second != first and first.exists()
    submissions, warnings = room.load(tmp_path)
    assert len(submissions) == 2 and warnings == []


def test_a_room_that_cannot_be_written_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    panel = CapstonePanel(room=blocker / "room", seeds=3, lang="en")
    try:
        panel.predict(panel._predict_pillar.options[0][1], 40)
        assert panel.submit("Table 1") is None and "Not submitted" in panel.status_text
    finally:
        panel.close()
        i18n.set_lang(None)


def test_switching_to_chinese_relabels_everything(panel):
    panel.predict(panel._predict_pillar.options[0][1], 40)
    panel.try_plan()
    i18n.set_lang("zh_CN")
    assert "综合工作坊" in panel._title.value and "模块 01" in panel._headings["01"].value
    assert panel._submit_button.description == "提交给全班" and "你们预测的是" in panel._comparison.value
    assert "预算" in panel._budget_title.value and "小时" in panel._budget_html.value
