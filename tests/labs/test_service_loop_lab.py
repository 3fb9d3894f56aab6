"""Lab 02 built without a browser: controls from metadata, presets, stacked stages, ghost lines, languages."""

import ipywidgets as W
import pytest

from communitylab import i18n
from communitylab.labs.service_loop import ServiceLoopLab
from communitylab.models import service_loop


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = ServiceLoopLab()
    yield built
    i18n.set_lang(None)


def _values(lab, panel, scenario="live", stage=None):
    return [
        r["value"]
        for r in lab.chart_data
        if r["panel"] == panel and r["scenario"] == scenario and (stage is None or r["stage"] == stage)
    ]


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = service_loop.Params.specs()
    assert set(lab._controls) == set(specs)
    closure = lab._controls["loop_closure"]
    assert isinstance(closure, W.FloatSlider) and (closure.min, closure.max, closure.value) == (0, 1, 1.0)
    audience = lab._controls["market_size"]  # 100 to 10 million people: a log slider (bounds are exponents)
    assert isinstance(audience, W.FloatLogSlider)
    assert (10**audience.min, 10**audience.max, audience.value) == pytest.approx((100, 10_000_000, 10_000))
    assert isinstance(lab._controls["days"], W.IntSlider) and lab._controls["days"].max == 1825
    assert "issues/day" in lab._controls["answer_capacity"].description
    assert lab._group_names[lab._groups.selected_index] == "onboarding"  # its first slider moves the chart


def test_chart_stacks_the_stages_and_their_sum_is_the_member_count(lab):
    stages = {stage: _values(lab, "stocks", stage=stage) for stage in ("new", "active", "loyal")}
    assert all(len(values) == 365 for values in stages.values())
    top = [sum(day) for day in zip(*stages.values())]
    assert top == pytest.approx(lab.result.members.tolist())
    assert _values(lab, "quality", stage="satisfaction") == pytest.approx(lab.result.satisfaction.tolist())


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_chart, before = _values(lab, "stocks", stage="loyal"), lab.monitor_values()
    lab._controls["loop_closure"].value = 0.0
    assert lab.params.loop_closure == 0.0
    assert _values(lab, "stocks", stage="loyal") != before_chart
    expected = service_loop.simulate(service_loop.Params(loop_closure=0.0)).summary()
    assert lab.monitor_values()["members"] == f"{expected['members']:,.0f}" != before["members"]


def test_presets_change_chart_and_monitors_from_defaults(lab):
    lab.set(follow_up_share=0.9)
    lab.apply_preset("open_loop")
    assert lab.params == service_loop.Params(loop_closure=0.0)
    assert lab.monitor_values()["members"] == "115"
    closed = lab.apply_preset("closed_loop").summary()
    assert lab.params == service_loop.Params()
    overloaded = lab.apply_preset("overloaded_group").summary()
    # capacity far below the load: most issues wait, and the closed loop no longer pays off in full
    assert overloaded["backlog_pct"] > 80 and lab.monitor_values()["backlog_pct"] == "85 %"
    assert overloaded["members"] < closed["members"]
    assert max(_values(lab, "quality", stage="answered")) < 1
    assert lab.apply_preset("no_follow_up").summary()["churned"] > closed["churned"]
    assert lab.apply_preset("strong_word_of_mouth").summary()["joined"] > closed["joined"]
    lab._controls["days"].value = 400
    assert lab._preset.value == ""  # a manual change leaves the preset


def test_pinned_open_loop_is_a_ghost_member_line_and_exports(lab, tmp_path):
    lab.apply_preset("open_loop")
    lab.pin()
    lab.apply_preset("closed_loop")
    ghost, satisfaction = _values(lab, "stocks", "A"), _values(lab, "quality", "A")
    assert ghost == pytest.approx(lab.pinned[0][1].members.tolist())
    assert satisfaction[-1] == pytest.approx(0.4, abs=0.01)
    assert ghost[-1] < lab.result.members[-1]  # the closed loop ends above the open one's ghost
    assert "pinned" in str(lab.chart.spec)
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,market_size")
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert _values(lab, "stocks", "A") == []


def test_long_runs_are_thinned_but_keep_the_last_day(lab):
    lab.set(days=1825)
    loyal = [r for r in lab.chart_data if r["panel"] == "stocks" and r["stage"] == "loyal"]
    assert len(loyal) <= 367
    assert loyal[-1]["day"] == 1824 and loyal[-1]["value"] == pytest.approx(lab.result.loyal[-1])


def test_language_toggle_relabels_chart_and_presets(lab):
    english = str(lab.chart.spec)
    assert "Members by stage" in english and "Loyal" in english
    lab._language.value = "zh_CN"
    chinese = str(lab.chart.spec)
    assert "各阶段成员数" in chinese and "忠实" in chinese and "Members by stage" not in chinese
    assert "闭环服务" in lab._title.value
    assert "过载的微信群" in str(lab._preset.options)
    assert "这是什么" in lab._info.value
    lab._language.value = "en"
    assert "Members by stage" in str(lab.chart.spec)
