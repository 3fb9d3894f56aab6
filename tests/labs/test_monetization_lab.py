"""Lab 04 built without a browser: controls from metadata, presets, three panels, ghost lines, languages."""

import ipywidgets as W
import pytest

from communitylab import i18n
from communitylab.labs.monetization import MonetizationLab
from communitylab.models import monetization


@pytest.fixture
def lab():
    i18n.set_lang("en")
    built = MonetizationLab()
    yield built
    i18n.set_lang(None)


def _values(lab, panel, scenario="live"):
    return [r["value"] for r in lab.chart_data if r["panel"] == panel and r["scenario"] == scenario]


def test_one_control_per_parameter_with_metadata_ranges(lab):
    specs = monetization.Params.specs()
    assert set(lab._controls) == set(specs)
    assert isinstance(lab._controls["annual_plan"], W.Checkbox) and lab._controls["annual_plan"].value is False
    price = lab._controls["price"]
    assert isinstance(price, W.FloatLogSlider) and price.value == 30 and "¥/month" in price.description
    selling = lab._controls["selling_intensity"]
    assert (selling.min, selling.max, selling.value) == (0, 2, 0.3)
    assert lab._group_names[lab._groups.selected_index] == "offer"


def test_three_panels_per_run(lab):
    assert {r["panel"] for r in lab.chart_data} == {"free", "paid", "cumulative_revenue"}
    assert _values(lab, "cumulative_revenue")[-1] == pytest.approx(lab.result.summary()["revenue"])
    assert len(lab.chart.spec["hconcat"]) == 3


def test_slider_change_recomputes_chart_and_monitors(lab):
    before_chart, before = _values(lab, "free"), lab.monitor_values()
    lab._controls["selling_intensity"].value = 1.0
    assert lab.params.selling_intensity == 1.0
    assert _values(lab, "free") != before_chart
    expected = monetization.simulate(monetization.Params(selling_intensity=1.0)).summary()
    assert lab.monitor_values()["revenue"] == f"¥{expected['revenue']:,.0f}" != before["revenue"]


def test_presets_tell_the_lesson(lab):
    default = lab.result.summary()
    assert lab.monitor_values() == {
        "conversion_pct": "2.36 %",
        "paid_churn_pct": "6.8 %",
        "ltv_cac": "4.2×",
        "revenue": "¥52,985",
    }
    hard = lab.apply_preset("hard_sell").summary()
    assert lab.params == monetization.Params(selling_intensity=1.5)
    assert hard["revenue"] < default["revenue"] and hard["ltv_cac"] < 3 <= default["ltv_cac"]
    assert _values(lab, "free")[-1] < 0.2 * monetization.simulate(monetization.Params()).free[-1]
    gentle = lab.apply_preset("gentle_selling").summary()
    assert gentle["revenue"] < default["revenue"] and gentle["ltv_cac"] < 3
    cheap = lab.apply_preset("cheap_10").summary()
    premium = lab.apply_preset("premium").summary()
    assert cheap["conversion_pct"] > default["conversion_pct"] > premium["conversion_pct"]
    assert premium["ltv_cac"] < 3 < cheap["ltv_cac"]
    annual = lab.apply_preset("annual_299").summary()
    assert lab.params.annual_plan and lab._controls["annual_plan"].value is True
    assert annual["first_year_cash"] > 1.7 * default["first_year_cash"]
    lab._controls["days"].value = 730
    assert lab._preset.value == ""


def test_pins_show_as_ghost_lines_and_export(lab, tmp_path):
    lab.pin()
    lab.apply_preset("annual_299")
    ghost, live = _values(lab, "cumulative_revenue", "A"), _values(lab, "cumulative_revenue")
    assert len(ghost) == len(live) == 365 and ghost[-1] < live[-1]
    assert "pinned" in str(lab.chart.spec)
    csv = lab.export_scenarios(tmp_path / "scenarios.csv")
    assert csv.splitlines()[0].startswith("scenario,day,series,value,seed,free_members")
    assert {"A", "live"} <= {line.split(",")[0] for line in csv.splitlines()[1:]}
    lab.clear_pins()
    assert _values(lab, "paid", "A") == []


def test_language_toggle_relabels_chart_monitors_and_presets(lab):
    assert "Paying members" in str(lab.chart.spec)
    lab._language.value = "zh_CN"
    assert "付费会员" in str(lab.chart.spec) and "Paying members" not in str(lab.chart.spec)
    assert "经验法则" in lab._monitor_boxes["ltv_cac"].value
    assert "变现" in lab._title.value and "年费 ¥299" in str(lab._preset.options)
    lab._language.value = "en"
    assert "rule of thumb" in lab._monitor_boxes["ltv_cac"].value
