"""Lesson 05's chart: how long the same group QR code takes to fill, year after year, and a big name's.

It draws :func:`communitylab.models.brand.fill_time_by_year`'s table: the median
time to the scan limit (the moment the code stops admitting people) for an operator
in each year, as a line, and for the influencer as a separate point, on a log
time axis labelled in the reader's units; a bar from the fastest to the slowest
10 % of runs, and the article's "half a day" as a rule. Every word comes from the
catalogs (``brand.years.*``, the labels of :mod:`communitylab.labs.show`).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from communitylab.i18n import t
from communitylab.labs.brand import format_hours
from communitylab.labs.show import label

__all__ = ["fill_time_chart", "TIME_MIN_H", "TIME_MAX_H"]

#: The time axis: 18 seconds to the QR code's 7-day validity (a slower run is off the chart: it never filled).
TIME_MIN_H, TIME_MAX_H = 0.005, 168.0
#: Axis ticks (hours) and the catalog keys of their labels.
TICKS = {1 / 60: "tick_1min", 0.1: "tick_6min", 1: "tick_1h", 6: "tick_6h", 24: "tick_1d", 168: "tick_1w"}
HALF_DAY_H = 12.0
COLORS = {"operator": "#1f77b4", "influencer": "#e08a1e"}


def fill_time_chart(table: pd.DataFrame, *, width: int = 440, height: int = 260) -> alt.LayerChart:
    """Median time to the scan limit per year (operator, a line) and for the influencer (points).

    Parameters
    ----------
    table : pandas.DataFrame
        The table of :func:`communitylab.models.brand.fill_time_by_year`.
    width, height : int
        Size of the plot in pixels.

    Returns
    -------
    altair.LayerChart
        Titled, labelled and with a legend in the current language.
    """
    records = []
    for row in table.itertuples(index=False):
        median = row.scan_cap_median_h
        records.append(
            {
                "year": str(row.year),
                "who": t(f"brand.years.{row.who}"),
                "kind": row.who,
                # a median that never comes is drawn at the top edge, and its label says "never"
                "median": _on_axis(median),
                "low": _on_axis(row.scan_cap_p10_h),
                "high": _on_axis(row.scan_cap_p90_h),
                "text": format_hours(median),
            }
        )
    data = alt.Data(values=records)
    names = [t(f"brand.years.{who}") for who in COLORS]
    color = alt.Color(
        "who:N",
        scale=alt.Scale(domain=names, range=list(COLORS.values())),
        legend=alt.Legend(title=None, orient="top", direction="horizontal", labelFontSize=12, labelLimit=300),
    )
    x = alt.X("year:O", title=label("brand", "year"), axis=alt.Axis(labelAngle=0))
    scale = alt.Scale(type="log", domain=[TIME_MIN_H, TIME_MAX_H], nice=False)
    y = alt.Y(
        "median:Q",
        title=t("brand.years.axis"),
        scale=scale,
        axis=alt.Axis(values=list(TICKS), labelExpr=_tick_labels()),
    )
    base = alt.Chart(data)
    spread = base.mark_rule(strokeWidth=2, opacity=0.45).encode(
        x=x, y=alt.Y("low:Q", scale=scale), y2="high:Q", color=color
    )
    operator = base.transform_filter(alt.datum.kind == "operator")
    line = operator.mark_line(strokeWidth=2.2).encode(x=x, y=y, color=color)
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=x,
        y=y,
        color=color,
        shape=alt.Shape("who:N", legend=None, scale=alt.Scale(domain=names, range=["circle", "diamond"])),
    )
    # the operator's figures above and left of the rising line, the influencer's to the right of its point
    figures = [
        base.transform_filter(alt.datum.kind == kind)
        .mark_text(align=align, dx=dx, dy=-10, fontSize=12, fontWeight="bold")
        .encode(x=x, y=y, text="text:N", color=color)
        for kind, align, dx in (("operator", "right", -6), ("influencer", "left", 9))
    ]
    rule_data = alt.Data(values=[{"hours": HALF_DAY_H, "text": t("brand.years.half_day")}])
    rule = alt.Chart(rule_data).mark_rule(color="#c0392b", strokeDash=[5, 3]).encode(y=alt.Y("hours:Q", scale=scale))
    rule_label = (
        alt.Chart(rule_data)
        .mark_text(align="left", baseline="bottom", x=4, dy=-3, color="#c0392b", fontSize=11)
        .encode(y=alt.Y("hours:Q", scale=scale), text="text:N")
    )
    return (
        alt.layer(spread, line, points, *figures, rule, rule_label)
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(t("brand.years.title"), subtitle=t("brand.years.spread"), anchor="start"),
            # no export menu: one of its entries opens an online editor, and a lesson stays offline
            usermeta={"embedOptions": {"actions": False}},
        )
        .configure_view(stroke=None)
    )


def _on_axis(hours: float) -> float:
    """A time in hours clipped to the axis; a time that never comes sits on the top edge."""
    if not math.isfinite(hours):
        return TIME_MAX_H
    return min(max(hours, TIME_MIN_H), TIME_MAX_H)


def _tick_labels() -> str:
    """A Vega expression naming the ticks in the reader's units (1 min, 6 min, 1 h, 6 h, 1 day, 1 week)."""
    expression = "datum.label"
    for value, key in TICKS.items():
        text = t(f"brand.chart.{key}").replace("'", "\\'")
        expression = f"abs(datum.value - {value}) < {value / 1000} ? '{text}' : ({expression})"
    return expression
