"""Lab 01 built without a browser: controls from metadata, driving from code, pins, languages."""

import ipywidgets as W
import pytest

from communitylab import i18n
from communitylab.labs.attention import AttentionLab
from communitylab.models import attention


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = AttentionLab()
    yield built
    i18n.set_lang(None)


def _records(lab, panel, scenario="live"):
    return [r["value"] for r in lab.chart_data if r["panel"] == panel and r["scenario"] == scenario]


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = attention.Params.specs()
    assert set(lab._controls) == set(specs)
    members = lab._controls["members"]
    assert isinstance(members, W.IntSlider) and (members.min, members.max) == (100, 20000)
    niche = lab._controls["niche_width"]
    assert (niche.min, niche.max, niche.value) == (0.02, 0.5, 0.10)
    assert "circle fraction" in niche.description
    assert isinstance(lab._controls["posts_per_day"], W.FloatLogSlider)


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_chart, before_monitors = _records(lab, "read_share"), lab.monitor_values()
    lab._controls["niche_width"].value = 0.25
    assert lab.params.niche_width == 0.25
    assert _records(lab, "read_share") != before_chart
    assert lab.monitor_values()["read_share_pct"] != before_monitors["read_share_pct"]
    expected = attention.simulate(attention.Params(niche_width=0.25), seed=0).summary()["read_share_pct"]
    assert lab.monitor_values()["read_share_pct"] == f"{expected:.2f} %"


def test_set_reset_and_seed(lab):
    result = lab.set(niche_width=0.03, seed=5)
    assert lab.seed == 5 and lab._seed_box.value == 5 and lab._controls["niche_width"].value == 0.03
    assert result is lab.result
    lab.reset()
    assert lab.params == attention.Params() and lab.seed == 5
    with pytest.raises(ValueError, match="outside the allowed range"):
        lab.set(niche_width=5)
    assert lab.params == attention.Params()  # a rejected change loses nothing


def test_presets_apply_from_defaults(lab):
    lab.set(posts_per_day=100)
    lab.apply_preset("sharp_niche")
    assert lab.params == attention.Params(niche_width=0.03)
    assert lab._preset.value == "sharp_niche"
    lab._controls["days"].value = 200
    assert lab._preset.value == ""  # a manual change leaves the preset


def test_pins_show_as_ghost_lines_and_export(lab, tmp_path):
    lab.pin()
    lab.set(niche_width=0.3)
    assert [name for name, _ in lab.pinned] == ["A"]
    ghost, live = _records(lab, "mute_rate", "A"), _records(lab, "mute_rate")
    assert len(ghost) == len(live) == 365 and ghost != live
    assert "A" in str(lab.chart.spec)  # the template draws a labelled ghost layer
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,niche_width")
    assert (tmp_path / "scenarios.csv").read_text(encoding="utf-8") == csv
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert lab.pinned == [] and _records(lab, "mute_rate", "A") == []


def test_language_toggle_relabels_everything(lab):
    english_title = lab._title.value
    lab._language.value = "zh_CN"
    assert i18n.get_lang() == "zh_CN"
    assert lab._title.value != english_title and "价值定位" in lab._title.value
    assert lab._controls["niche_width"].description.startswith("定位宽度")
    assert lab._reset_button.description == "恢复默认值"
    assert "这是什么" in lab._info.value
    lab._language.value = "en"
    assert lab._title.value == english_title


def test_info_panel_has_all_netlogo_headings(lab):
    for heading in (
        "What is it?",
        "How it works",
        "How to use it",
        "Things to notice",
        "Things to try",
        "Extending the model",
        "Related models",
        "Credits and references",
    ):
        assert f"<h3>{heading}</h3>" in lab._info.value
    assert "McFadden" in lab._info.value


def test_whole_number_parameters_get_usable_controls():
    """Members from 100 to 10 million: a log slider that rounds, or a typed number when the range starts at 0."""
    from communitylab.labs.service_loop import ServiceLoopLab

    lab = ServiceLoopLab()
    market = lab._controls["market_size"]
    assert isinstance(market, W.FloatLogSlider)
    market.value = 123456.7  # where a log slider can land
    assert lab.params.market_size == 123457
    assert isinstance(lab._controls["founding_members"], W.BoundedIntText)
