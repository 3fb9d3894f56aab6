"""Lab 06 built without a browser: controls from metadata, presets, the funnel monitor, pins, languages."""

import ipywidgets as W
import pytest

from communitylab import i18n
from communitylab.labs.migration import MigrationLab
from communitylab.models import migration


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = MigrationLab()
    yield built
    i18n.set_lang(None)


def _records(lab, panel, scenario="live"):
    return [r["value"] for r in lab.chart_data if r["panel"] == panel and r["scenario"] == scenario]


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = migration.Params.specs()
    assert set(lab._controls) == set(specs)
    install = lab._controls["friction_install"]
    assert isinstance(install, W.FloatSlider) and (install.min, install.max, install.value) == (0, 5, 1.2)
    assert "logits" in install.description
    members = lab._controls["members"]  # whole people, on a log scale or not
    assert isinstance(members, (W.IntSlider, W.FloatLogSlider)) and members.value == 10_000
    assert "members" in members.description
    assert isinstance(lab._controls["keep_wechat"], W.Checkbox) and lab._controls["keep_wechat"].value is True
    # the operator's plan is what the module teaches: its group starts unfolded
    assert lab._group_names[lab._groups.selected_index] == "plan"


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_chart, before_monitors = _records(lab, "in_app"), lab.monitor_values()
    lab._controls["friction_install"].value = 0.5
    assert lab.params.friction_install == 0.5
    assert _records(lab, "in_app") != before_chart
    expected = migration.simulate(migration.Params(friction_install=0.5), seed=0).summary()
    assert lab.monitor_values()["app_members_last_day"] == f"{expected['app_members_last_day']:,.0f}"
    assert lab.monitor_values()["app_members_last_day"] != before_monitors["app_members_last_day"]


def test_funnel_monitor_shows_the_campaign_next_to_the_product_of_step_rates(lab):
    summary = lab.result.summary()
    text = lab.monitor_values()["single_campaign_pct"]
    assert f"{summary['single_campaign_pct']:.1f}" in text and f"{summary['step_product_pct']:.1f}" in text
    assert text.index(f"{summary['single_campaign_pct']:.1f}") < text.index(f"{summary['step_product_pct']:.1f}")
    assert text in lab._monitor_boxes["single_campaign_pct"].value
    assert text == f"{summary['single_campaign_pct']:.1f}% / {summary['step_product_pct']:.1f}%"
    lab._language.value = "zh_CN"
    assert "平均通过率" in lab._monitor_boxes["single_campaign_pct"].value


def test_presets_change_chart_and_monitors_from_defaults(lab):
    lab.set(fatigue=0.5)
    before_chart, before_value = _records(lab, "in_wechat"), lab.monitor_values()["value_last_day"]
    lab._preset.value = "close_wechat_day30"  # as a click in the dropdown does
    assert lab.params == migration.Params(close_day=30, keep_wechat=False)
    assert _records(lab, "in_wechat") != before_chart
    assert all(v == 0 for v in _records(lab, "in_wechat")[30:])
    assert lab.monitor_values()["value_last_day"] != before_value
    lab._controls["days"].value = 200
    assert lab._preset.value == ""  # a manual change leaves the preset


@pytest.mark.parametrize("key", list(MigrationLab.presets))
def test_a_preset_and_the_controls_it_leaves_on_screen_agree(lab, key):
    """A WeChat group the preset closes is not also ticked as the traffic source that keeps newcomers coming."""
    lab.apply_preset(key)
    closes = lab.params.close_day >= 0
    assert lab._controls["close_day"].value == lab.params.close_day
    assert lab._controls["keep_wechat"].value is lab.params.keep_wechat is (not closes)


def test_every_preset_is_valid_labelled_and_different(lab):
    seen = set()
    for key in lab.presets:
        lab.apply_preset(key)
        assert lab._preset.value == key
        assert i18n.has(f"migration.preset.{key}", "en") and i18n.has(f"migration.preset.{key}", "zh_CN")
        seen.add(tuple(lab.monitor_values().values()))
    assert len(seen) == len(lab.presets)


def test_pins_show_as_ghost_lines_and_export(lab, tmp_path):
    lab.pin()
    lab.set(mini_program=True)
    assert [name for name, _ in lab.pinned] == ["A"]
    ghost, live = _records(lab, "in_app", "A"), _records(lab, "in_app")
    assert len(ghost) == len(live) == 365 and ghost != live
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,members")
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert lab.pinned == [] and _records(lab, "in_app", "A") == []


def test_language_toggle_relabels_everything(lab):
    english_title = lab._title.value
    lab._language.value = "zh_CN"
    assert lab._title.value != english_title and "实验 06" in lab._title.value
    assert "这是什么" in lab._info.value
    assert lab._reset_button.description == "恢复默认值"
    lab._language.value = "en"
    assert lab._title.value == english_title


def test_info_says_everything_is_an_assumption(lab):
    assert "course assumption" in lab._info.value
    lab._language.value = "zh_CN"
    assert "假设" in lab._info.value


def _axis_titles(lab) -> list:
    """The y axis title of each panel (its live line's), in order (``None``: no axis title)."""
    return [panel["layer"][-1]["encoding"]["y"].get("title") for panel in lab.chart.template["hconcat"]]


def test_value_per_day_panel_gives_its_unit_on_the_axis(lab):
    # the panel is too narrow for the unit in its title; the members' panels count members and need none
    assert _axis_titles(lab) == [None, None, "value units/day"]
    lab._language.value = "zh_CN"
    assert _axis_titles(lab) == [None, None, "价值单位/天"]
