"""Lab 08 (capstone) built without a browser: controls, the health panel, presets as contrasting plans, pins, languages."""

import ipywidgets as W
import numpy as np
import pytest

from communitylab import i18n
from communitylab.labs.community import PILLARS, CommunityLab
from communitylab.models import community


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = CommunityLab()
    yield built
    i18n.set_lang(None)


def _records(lab, panel, scenario="live"):
    return [r for r in lab.chart_data if r["panel"] == panel and r["scenario"] == scenario]


def _health(lab, scenario="live"):
    return {r["pillar"]: r["value"] for r in _records(lab, "health", scenario)}


def test_one_control_per_plan_choice_with_metadata_ranges(lab):
    specs = community.Params.specs()
    assert set(lab._controls) == set(specs)
    assert isinstance(lab._controls["checkin"], W.Checkbox) and lab._controls["checkin"].value is False
    niche = lab._controls["niche_width"]
    assert isinstance(niche, W.FloatSlider) and (niche.min, niche.max, niche.value) == (0.02, 0.5, 0.1)
    assert round(lab._controls["followers"].value) == 10_000 and "people" in lab._controls["followers"].description
    assert "¥/month" in lab._controls["price"].description
    # the first link of the chain opens first: its first slider moves the chart at the defaults
    assert lab._group_names[lab._groups.selected_index] == "positioning"


def test_health_panel_is_the_documented_score(lab):
    health = _health(lab)
    assert list(health) == list(PILLARS)
    # the monitor's score is the geometric mean of the six bars drawn (equal weights, a course assumption)
    floored = np.clip(np.array(list(health.values())) / 100, community.SHARE_FLOOR, 1)
    assert lab.monitor_values()["health_score"] == f"{100 * np.exp(np.log(floored).mean()):.0f}"
    assert all(0 <= value <= 100 for value in health.values())
    # the default group goes quiet: the engagement bar is empty while loyalty is not
    assert health["participation"] == 0 and health["service_loop"] > 50


def test_time_panels_follow_the_result(lab):
    members = _records(lab, "members")
    assert len(members) == 365 and all(r["loyal"] <= r["value"] for r in members)
    cash = [r["value"] for r in _records(lab, "cash")]
    assert cash[-1] == pytest.approx(lab.result.revenue.sum()) and np.all(np.diff(cash) >= 0)
    lab.set(days=730)
    assert len(_records(lab, "engaged")) <= 366 and _records(lab, "engaged")[-1]["day"] == 729


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_health = _health(lab)
    lab._controls["niche_width"].value = 0.11  # the key press the browser test and the UI benchmark make
    assert lab.params.niche_width == 0.11
    assert _health(lab)["attention"] != before_health["attention"]
    # one step of niche width moves the score by less than the monitor's rounding: compare the score itself
    assert (
        lab.result.summary()["health_score"] != community.simulate(community.Params(), seed=0).summary()["health_score"]
    )
    lab._controls["checkin"].value = True
    expected = community.simulate(community.Params(niche_width=0.11, checkin=True), seed=0).summary()
    assert lab.monitor_values()["engaged"] == f"{expected['engaged']:,.0f}"
    assert expected["engaged"] > 400


def test_presets_are_contrasting_plans(lab):
    loud = lab.apply_preset("loud_generic_hard_sell").summary()
    sharp = lab.apply_preset("sharp_niche_closed_loop").summary()
    influencer = lab.apply_preset("influencer_no_service").summary()
    assert lab._preset.value == "influencer_no_service"
    # the loud generic group is barely read and sells at a loss; the sharp niche keeps its group talking
    assert loud["read_share_pct"] < 0.1 and loud["ltv_cac"] < 1
    assert sharp["engaged"] > 450 and sharp["health_score"] > 2 * loud["health_score"]
    # the influencer's audience buys many members and the most cash, but the worst loyalty and a weak score
    assert influencer["members"] > 20 * sharp["members"] and influencer["revenue"] > 10 * sharp["revenue"]
    assert influencer["loyal_share_pct"] < sharp["loyal_share_pct"]
    assert influencer["health_score"] < sharp["health_score"] / 2


def test_every_preset_is_valid_and_labelled(lab):
    for key in lab.presets:
        lab.apply_preset(key)
        assert lab._preset.value == key
        assert i18n.has(f"community.preset.{key}", "en") and i18n.has(f"community.preset.{key}", "zh_CN")


def test_pins_show_as_ghosts_and_grey_bars_and_export(lab, tmp_path):
    lab.pin()
    lab.apply_preset("sharp_niche_closed_loop")
    assert [name for name, _ in lab.pinned] == ["A"]
    ghost, live = _records(lab, "engaged", "A"), _records(lab, "engaged")
    assert len(ghost) == len(live) == 365 and ghost != live
    assert _health(lab, "A")["participation"] == 0 < _health(lab)["participation"]
    table = lab.health_table()
    assert list(table.index) == ["A", "live"] and list(table.columns) == [*PILLARS, "health_score"]
    floored = np.clip(table.loc["A", list(PILLARS)].to_numpy(float) / 100, community.SHARE_FLOOR, 1)
    assert table.loc["A", "health_score"] == pytest.approx(100 * np.exp(np.log(floored).mean()), abs=0.1)
    csv = lab.export_scenarios(tmp_path / "plans.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,niche_width")
    lab.clear_pins()
    assert lab.pinned == [] and _records(lab, "health", "A") == []


def test_language_toggle_relabels_everything(lab):
    english_title = lab._title.value
    lab._language.value = "zh_CN"
    assert "综合" in lab._title.value or "支柱" in lab._title.value
    assert "课程假设" in str(lab.chart.spec)
    assert "垂直定位、每日打卡、服务闭环" in [label for label, _ in lab._preset.options]
    lab._language.value = "en"
    assert lab._title.value == english_title
    assert "course assumption" in str(lab.chart.spec)


def test_health_score_is_called_an_assumption_wherever_it_appears(lab):
    assert "course assumption" in lab.text("monitor.health_score")
    assert "course assumption" in lab.text("chart.health")
    assert "course assumption" in lab._info.value
    for key in ("monitor.health_score", "chart.health"):
        assert "课程假设" in i18n.t(f"community.{key}", "zh_CN")
