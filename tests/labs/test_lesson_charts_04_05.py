"""Lesson 04's plan comparison and lesson 05's fill time across the years: drawn, and in the lesson's language."""

import json
import re

import pytest

from communitylab import i18n
from communitylab.labs.brand_years import fill_time_chart
from communitylab.labs.monetization import plans_chart
from communitylab.models import brand, monetization


@pytest.fixture(params=("en", "zh_CN"))
def lang(request):
    i18n.set_lang(request.param)
    yield request.param
    i18n.set_lang(None)


def _texts(spec: dict) -> list[str]:
    """Titles, legend names and label expressions a reader sees."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "subtitle", "text", "labelExpr", "who", "plan") and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


def test_fill_time_chart_has_the_figures_and_speaks_the_language(lang):
    table = brand.fill_time_by_year(runs=200)
    spec = fill_time_chart(table).to_dict()
    assert spec["layer"][1]["encoding"]["y"]["scale"]["type"] == "log"
    texts = _texts(spec)
    if lang == "zh_CN":
        assert "大 V" in texts and "半天" in texts
        words = {w for text in texts for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"datum\.\w+|abs", "", text))}
        assert not words, words
    else:
        assert "half a day" in texts
    values = [row for layer in spec["layer"] for row in layer.get("data", {}).get("values", [])]
    assert {row["year"] for row in values if "year" in row} == {"2013", "2014", "2015", "2016"}


def test_plans_chart_names_both_plans_in_the_language(lang):
    runs = [
        monetization.run_plan(monetization.Params(days=730), plan)
        for plan in (monetization.SELL_FIRST, monetization.VALUE_FIRST)
    ]
    spec = json.dumps(plans_chart(runs).to_dict(), ensure_ascii=False)
    expected = (
        ("先推销", "先做价值", "累计收款") if lang == "zh_CN" else ("Sell first", "Value first", "Cash collected")
    )
    assert all(text in spec for text in expected)
