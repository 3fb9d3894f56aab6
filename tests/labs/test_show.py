"""Lesson output: every number a lesson shows has a label and a unit, in the lesson's language."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from communitylab import i18n
from communitylab.labs.show import Shown, format_value, label, line_chart, show
from communitylab.models import get_model

MODEL_NAMES = ("attention", "service_loop", "participation", "monetization", "brand", "migration")
# Latin letters a Chinese reader meets as names, not as untranslated words.
LATIN_NAMES = re.compile(r"\b(LTV|CAC|DAU|WAU|MAU|K|R|App)\b")


@pytest.fixture(params=("en", "zh_CN"))
def lang(request):
    i18n.set_lang(request.param)
    yield request.param
    i18n.set_lang(None)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_summary_number_has_a_label_and_a_finished_value(name, lang):
    model = get_model(name)
    summary = model.simulate(model.Params(), seed=0).summary()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing label warns: fail instead
        shown = show(summary, name)
    assert [row[0] for row in shown.rows] != list(summary), "labels must not be code names"
    for (text_label, text_value), key in zip(shown.rows, summary):
        assert text_label != key and "_" not in text_label
        assert not re.search(r"nan|inf|np\.|float64", text_value)
        if lang == "zh_CN":
            assert not re.search(r"[A-Za-z]", LATIN_NAMES.sub("", text_value)), (key, text_value)


def test_a_sweep_table_gets_parameter_labels_with_units_and_formatted_cells(lang):
    table = pd.DataFrame({"groups_per_day": [0.0, 0.5], "read_share_pct": [1.8928, 0.5526]})
    shown = show(table, "attention")
    unit = "(groups/day)" if lang == "en" else "（个群/天）"
    assert shown.header[0].endswith(unit)
    percent = "1.89 %" if lang == "en" else "1.89%"
    assert shown.rows == [("0", percent), ("0.5", "0.55 %" if lang == "en" else "0.55%")]


def test_a_named_index_becomes_the_first_column():
    i18n.set_lang("en")
    frame = pd.DataFrame({"members": [100, 500, 100], "went_quiet": [1.0, 0.0, 0.0]}).groupby("members").mean()
    shown = show(frame, "participation")
    assert shown.header == ("Members", "Runs that went quiet")  # "Members (members)" would say it twice
    assert shown.rows == [("100", "50 %"), ("500", "0 %")]
    i18n.set_lang(None)


def test_days_that_never_come_say_never(lang):
    never = {"en": ("never", "never"), "zh_CN": ("从未", "达不到")}[lang]
    assert format_value("participation", "quiet_day", float("nan")) == never[0]
    assert format_value("brand", "full_median_h", float("inf")) == never[1]
    assert format_value("brand", "scan_cap_median_h", 0.11) == ("7 min" if lang == "en" else "7 分钟")


def test_flags_read_yes_or_no(lang):
    assert format_value("participation", "checkin", np.bool_(True)) == ("yes" if lang == "en" else "是")


def test_dashboard_numbers_use_the_dashboard_labels_and_formats():
    i18n.set_lang("en")
    shown = show({"top1_share": 0.782, "messages": 2959}, "dashboard")
    assert shown.rows == [
        ("Messages by the top 1 % of members", "78.2 %"),
        ("Messages by members (bots left out)", "2,959"),
    ]
    i18n.set_lang(None)


def test_html_is_escaped_and_the_text_form_is_aligned():
    shown = Shown(("a<b", "c"), [("<script>", "1")])
    assert "<script>" not in shown._repr_html_() and "&lt;script&gt;" in shown._repr_html_()
    assert repr(shown).splitlines() == ["a<b       c", "<script>  1"]


def test_unknown_numbers_warn_instead_of_breaking_a_lesson():
    with pytest.warns(UserWarning, match="no label for attention.nonsense"):
        assert label("attention", "nonsense") == "nonsense"
    with pytest.raises(TypeError, match="show\\(\\) takes"):
        show([1, 2, 3], "attention")


def test_chart_axes_speak_the_lesson_language(lang):
    table = pd.DataFrame({"forward_share": [0.4, 0.8], "fill_pct": [0.0, 94.2]})
    spec = line_chart(table, "forward_share", "fill_pct", "brand").to_dict()
    titles = spec["encoding"]["x"]["title"], spec["encoding"]["y"]["title"]
    assert titles[1].endswith("(%)" if lang == "en" else "（%）")
    if lang == "zh_CN":
        assert all(not re.search(r"[A-Za-z]", LATIN_NAMES.sub("", title)) for title in titles), titles


def test_runs_side_by_side_share_one_label_column():
    i18n.set_lang("zh_CN")
    shown = show({"this_community": {"gini": 0.974}, "simulated": {"gini": 0.973}}, "dashboard")
    assert shown.header == ("", "这个社群", "模拟社群")
    assert shown.rows == [("人均消息数的基尼系数", "0.97", "0.97")]
    assert '<td class="cl-show-label">' in shown._repr_html_()
    i18n.set_lang(None)
