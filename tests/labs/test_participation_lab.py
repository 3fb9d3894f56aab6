"""Lab 03 built without a browser: controls from metadata, presets, the "never" monitor, pins, languages."""

import math
import re

import ipywidgets as W
import pytest

from communitylab import i18n
from communitylab.labs.participation import ParticipationLab
from communitylab.models import participation


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = ParticipationLab()
    yield built
    i18n.set_lang(None)


def _records(lab, panel, scenario="live"):
    return [r["value"] for r in lab.chart_data if r["panel"] == panel and r["scenario"] == scenario]


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = participation.Params.specs()
    assert set(lab._controls) == set(specs)
    members = lab._controls["members"]
    assert isinstance(members, (W.IntSlider, W.FloatLogSlider)) and members.value == 500
    assert "members" in members.description
    assert isinstance(lab._controls["checkin"], W.Checkbox) and lab._controls["checkin"].value is False
    moderators = lab._controls["moderators"]
    assert isinstance(moderators, W.IntSlider) and (moderators.min, moderators.max, moderators.value) == (0, 50, 0)
    assert "people" in moderators.description
    # the group's size starts unfolded: its first slider always changes the run
    assert lab._group_names[lab._groups.selected_index] == "group"


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_chart, before_monitors = _records(lab, "posts_per_day"), lab.monitor_values()
    lab._controls["moderators"].value = 5
    assert lab.params.moderators == 5
    assert _records(lab, "posts_per_day") != before_chart
    expected = participation.simulate(participation.Params(moderators=5), seed=0).summary()
    assert lab.monitor_values()["engaged_last_day"] == f"{expected['engaged_last_day']:,.0f}"
    assert lab.monitor_values()["engaged_last_day"] != before_monitors["engaged_last_day"]


def test_quiet_day_monitor_says_never_when_the_group_survives(lab):
    # seed 0 with defaults: the design note's prototype goes quiet on day 57
    assert lab.monitor_values()["quiet_day"] == "57"
    result = lab.apply_preset("checkin_ritual")
    assert math.isnan(result.summary()["quiet_day"])
    assert lab.monitor_values()["quiet_day"] == "never"
    assert "never" in lab._monitor_boxes["quiet_day"].value
    lab._language.value = "zh_CN"
    assert lab.monitor_values()["quiet_day"] == "从未"
    assert "从未" in lab._monitor_boxes["quiet_day"].value


def test_presets_change_chart_and_monitors_from_defaults(lab):
    lab.set(members=1000)
    before = _records(lab, "engaged")
    lab._preset.value = "red_packets"  # as a click in the dropdown does
    assert lab.params == participation.Params(red_packets=True)
    assert _records(lab, "engaged") != before
    # paying lifts the launch, then the group goes quiet the day the payments stop
    assert lab.monitor_values()["quiet_day"] == "28"
    lab._controls["days"].value = 200
    assert lab._preset.value == ""  # a manual change leaves the preset


def test_every_preset_is_valid_and_labelled(lab):
    for key in lab.presets:
        lab.apply_preset(key)
        assert lab._preset.value == key
        assert i18n.has(f"participation.preset.{key}", "en") and i18n.has(f"participation.preset.{key}", "zh_CN")


def test_moderated_preset_is_module_07s_group_and_keeps_it_alive(lab):
    """The preset sets exactly MODERATED's changes, on screen too, and that group survives at the lab's defaults."""
    result = lab.apply_preset("moderated")
    assert lab.params == participation.Params(**participation.MODERATED)
    for name, value in participation.MODERATED.items():  # the check-in switch is ticked, not just its share set
        assert lab._controls[name].value == value, name
    # the lab's defaults (500 members, 365 days, seed 0) go quiet on day 57; module 07's group never does
    assert (lab.params.members, lab.params.days, lab.seed) == (500, 365, 0)
    assert result.summary()["went_quiet"] == 0 and lab.monitor_values()["quiet_day"] == "never"


def test_pins_show_as_ghost_lines_and_export(lab, tmp_path):
    lab.pin()
    lab.set(event_every_days=14)
    assert [name for name, _ in lab.pinned] == ["A"]
    ghost, live = _records(lab, "posts_per_day", "A"), _records(lab, "posts_per_day")
    assert len(ghost) == len(live) == 365 and ghost != live
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,members")
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert lab.pinned == [] and _records(lab, "posts_per_day", "A") == []


def test_language_toggle_relabels_everything(lab):
    english_title = lab._title.value
    lab._language.value = "zh_CN"
    assert "死亡螺旋" in lab._title.value
    assert lab._controls["moderators"].description.startswith("管理员")
    assert "这是什么" in lab._info.value
    assert "每 14 天一次活动" in [label for label, _ in lab._preset.options]
    lab._language.value = "en"
    assert lab._title.value == english_title


def test_info_panel_cites_the_sources(lab):
    for name in ("van Mierlo", "Granovetter", "Deci", "Lally", "course assumption"):
        assert name in lab._info.value


def test_chinese_info_has_no_stray_spaces_from_line_breaks(lab):
    lab._language.value = "zh_CN"
    # the catalog wraps long Chinese sentences; Markdown would turn each break into a visible space
    assert re.search(r"[\u4e00-\u9fff，。、：；]\s+[\u4e00-\u9fff]", lab._info.value) is None
