"""Lab 05 built without a browser: controls from metadata, fill curves, "never" monitors, presets, pins, languages."""

import math

import ipywidgets as W
import numpy as np
import pytest

from communitylab import i18n
from communitylab.labs.brand import HOURS_GRID, BrandLab, fill_curves, format_hours
from communitylab.models import brand


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = BrandLab()
    yield built
    i18n.set_lang(None)


def _curve(lab, curve, scenario="live"):
    return [
        r["share"]
        for r in lab.chart_data
        if r["panel"] == "curves" and r["curve"] == curve and r["scenario"] == scenario
    ]


def _direct(lab, scenario="live"):
    return next(r for r in lab.chart_data if r["panel"] == "direct" and r["scenario"] == scenario)


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = brand.Params.specs()
    assert set(lab._controls) == set(specs)
    followers = lab._controls["followers"]  # 1 to 10 million: a log slider over whole numbers, or an integer one
    assert isinstance(followers, (W.IntSlider, W.FloatLogSlider)) and round(followers.value) == 300
    assert "people" in followers.description
    view = lab._controls["view_timescale_h"]
    assert isinstance(view, W.FloatLogSlider) and view.value == pytest.approx(3.0)
    assert "hours" in view.description
    # the audience opens first: its first slider moves the chart at the defaults
    assert lab._group_names[lab._groups.selected_index] == "audience"


def test_fill_curves_are_the_models_ecdf_on_the_log_grid(lab):
    result = lab.apply_preset("influencer")
    curves = fill_curves(result)
    assert curves["scan_cap"].shape == HOURS_GRID.shape
    # the same empirical CDF as the model's own curves, at the model's own hours
    np.testing.assert_allclose(fill_curves(result, result.hours)["full"], result.full_probability)
    assert np.all(np.diff(curves["full"]) >= 0) and curves["full"][-1] == pytest.approx(1.0)
    # the chart draws them: about 120 points per curve, not one per run
    assert len(_curve(lab, "scan_cap")) == len(HOURS_GRID) <= 200
    # the scan limit comes before the full group in every run
    assert np.all(curves["scan_cap"] >= curves["full"])


def test_defaults_never_reach_the_scan_limit_and_say_so(lab):
    # the model note's [proto]: an ordinary account (F 300, R 0.3) never reaches 200, ~9 direct joiners
    assert lab.monitor_values()["scan_cap_median_h"] == "never"
    assert lab.monitor_values()["fill_pct"] == "0 %"
    assert max(_curve(lab, "scan_cap")) == 0
    assert any(r["panel"] == "note" for r in lab.chart_data)
    assert 8 < _direct(lab)["mean"] < 10
    lab._language.value = "zh_CN"
    assert lab.monitor_values()["scan_cap_median_h"] == "达不到"


def test_format_hours_reads_like_an_operator(lab):
    assert format_hours(0.11) == "7 min"
    assert format_hours(9.41) == "9.4 h"
    assert format_hours(math.inf) == "never"


def test_slider_change_recomputes_chart_and_monitors(lab):
    lab.apply_preset("ordinary_push")
    before_curve, before = _curve(lab, "scan_cap"), lab.monitor_values()
    lab._controls["forward_share"].value = 1.0  # R 1.2 -> 1.5
    assert lab.params.forward_share == 1.0 and lab._preset.value == ""
    assert _curve(lab, "scan_cap") != before_curve
    expected = brand.simulate(lab.params, seed=0).summary()
    assert lab.monitor_values()["scan_cap_median_h"] == format_hours(expected["scan_cap_median_h"])
    assert lab.monitor_values()["reproduction_number"] != before["reproduction_number"]
    assert lab.monitor_values()["reproduction_number"].startswith("1.50")
    # the followers slider moves the direct-wave bar even where no run fills (the UI benchmark's key press)
    lab.reset()
    mean = _direct(lab)["mean"]
    lab._controls["followers"].value = 301
    assert _direct(lab)["mean"] != mean


def test_presets_reproduce_the_model_notes_reference_runs(lab):
    """[proto] figures of the model note (1000 runs, seed 0): influencer t_200 ~0.11 h, t_500 ~2.9 h;
    an ordinary operator who pushes (F 500, reach 0.6, join 0.2, R 1.2) t_200 ~9.5 h, t_500 ~27.3 h."""
    summary = lab.apply_preset("influencer").summary()
    assert lab._preset.value == "influencer"
    assert summary["scan_cap_median_h"] == pytest.approx(0.11, abs=0.02)
    assert summary["full_median_h"] == pytest.approx(2.9, abs=0.3)
    assert lab.monitor_values()["scan_cap_median_h"] == "7 min"
    # the influencer's direct wave alone is far past the scan limit
    assert _direct(lab)["p10"] > 200
    summary = lab.apply_preset("ordinary_push").summary()
    assert summary["reproduction_number"] == pytest.approx(1.2)
    assert summary["scan_cap_median_h"] == pytest.approx(9.5, abs=0.8)
    assert summary["full_median_h"] == pytest.approx(27.3, abs=2.5)
    assert lab.apply_preset("viral").summary()["reproduction_number"] == pytest.approx(1.5)


def test_scan_limit_and_expiry_presets_teach_their_point(lab):
    influencer = lab.apply_preset("influencer").summary()
    strict = lab.apply_preset("scan_cap_100").summary()
    # a stricter scan limit reaches its cap sooner but fills the group later: the cap dominates the time to 500
    assert strict["scan_cap_median_h"] < influencer["scan_cap_median_h"]
    assert strict["full_median_h"] > influencer["full_median_h"]
    assert _direct(lab)["scan_cap"] == 100
    push = lab.apply_preset("ordinary_push").summary()
    short = lab.apply_preset("qr_24h").summary()
    assert short["fill_pct"] < push["fill_pct"] / 2
    assert lab.monitor_values()["full_median_h"] == "never"


def test_every_preset_is_valid_and_labelled(lab):
    for key in lab.presets:
        lab.apply_preset(key)
        assert lab._preset.value == key
        assert i18n.has(f"brand.preset.{key}", "en") and i18n.has(f"brand.preset.{key}", "zh_CN")


def test_pins_show_as_ghost_curves_and_export(lab, tmp_path):
    lab.pin()
    lab.apply_preset("influencer")
    assert [name for name, _ in lab.pinned] == ["A"]
    ghost, live = _curve(lab, "full", "A"), _curve(lab, "full")
    assert len(ghost) == len(live) and ghost != live
    assert _direct(lab, "A")["mean"] < 10 < _direct(lab)["mean"]
    assert [r["scenario"] for r in lab.chart_data if r["panel"] == "pin_label"] == ["A"]
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,hours,series,value,seed,followers")
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert lab.pinned == [] and _curve(lab, "full", "A") == []


def test_language_toggle_relabels_everything(lab):
    english_title = lab._title.value
    lab._language.value = "zh_CN"
    assert "二维码" in lab._title.value
    assert "这是什么" in lab._info.value or "是什么" in lab._info.value
    assert "大 V（20 万粉丝）" in [label for label, _ in lab._preset.options]
    assert "发布后的时间" in str(lab.chart.spec)
    lab._language.value = "en"
    assert lab._title.value == english_title
    assert "Time after posting" in str(lab.chart.spec)


def test_info_panel_cites_the_sources_and_labels_wechat_rules(lab):
    for name in ("Kempe", "Goel", "unverified", "course assumption"):
        assert name in lab._info.value
