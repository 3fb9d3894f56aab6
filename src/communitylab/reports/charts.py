"""Altair charts of community health, shared by the HTML report and the module 07 dashboard.

They live in :mod:`communitylab.reports`, not in the data layer, because they are how the
metrics are shown, not how they are computed (see the package docstring).

Each function takes the metrics of :func:`communitylab.data.metrics.compute_all` (or a
part of them) and returns an ``alt.Chart``; titles and axis labels come from the
``dashboard.*`` catalog in ``lang`` (default: the current language). Several communities can be drawn in
one chart by passing ``{label: metrics}``: they are told apart by colour.

The data goes into each chart inline, whatever its length: a chat that spans years has a
row per day (three, for the active-member lines), more than the 5,000 rows altair accepts
from a DataFrame by default, a limit meant for raw data, not for summaries like these.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from communitylab.data.metrics import HealthMetrics
from communitylab.i18n import t

__all__ = [
    "REPLY_BUCKETS",
    "activity_chart",
    "active_members_chart",
    "retention_heatmap",
    "lorenz_chart",
    "reply_time_chart",
    "top_contributors_chart",
    "dashboard_charts",
    "reply_buckets",
]

WIDTH = 420
HEIGHT = 220
#: Upper edges (seconds) of the reply-time buckets, with their catalog keys; ``never`` last.
REPLY_BUCKETS: tuple[tuple[float, str], ...] = (
    (5 * 60, "m5"),
    (30 * 60, "m30"),
    (2 * 3600, "h2"),
    (6 * 3600, "h6"),
    (24 * 3600, "h24"),
    (np.inf, "later"),
)
MAX_RETENTION_WEEKS = 12
MAX_COHORTS = 16


def _inline(frame: pd.DataFrame) -> alt.InlineData:
    """``frame`` as inline chart data, converted as altair converts a DataFrame but with no row limit."""
    return alt.InlineData(values=alt.to_values(frame)["values"])


def _date_axis(lang: str | None) -> alt.X:
    """Days on the x axis, labelled in the language's own way (vega would write English month names)."""
    return alt.X(
        "date:T", title=t("dashboard.axis.date", lang), axis=alt.Axis(format=t("dashboard.axis.date_format", lang))
    )


def _day_tooltip(lang: str | None) -> alt.Tooltip:
    return alt.Tooltip("date:T", title=t("dashboard.axis.date", lang), format=t("dashboard.axis.day_format", lang))


def _as_many(metrics: HealthMetrics | Mapping[str, HealthMetrics], lang: str | None) -> dict[str, HealthMetrics]:
    if isinstance(metrics, HealthMetrics):
        return {t("dashboard.series.community", lang): metrics}
    return dict(metrics)


def _color(names: list[str]) -> alt.Color:
    return alt.Color("community:N", title=None, sort=names, legend=alt.Legend(orient="top") if len(names) > 1 else None)


def activity_chart(metrics: HealthMetrics | Mapping[str, HealthMetrics], *, lang: str | None = None) -> alt.Chart:
    """Messages per day (one line per community)."""
    many = _as_many(metrics, lang)
    frames = [m.activity[["messages"]].reset_index().assign(community=name) for name, m in many.items()]
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["date", "messages", "community"])
    return (
        alt.Chart(_inline(data), title=t("dashboard.chart.activity", lang))
        .mark_line(interpolate="step-after", strokeWidth=1.4)
        .encode(
            x=_date_axis(lang),
            y=alt.Y("messages:Q", title=t("dashboard.axis.messages", lang)),
            color=_color(list(many)),
            tooltip=[_day_tooltip(lang), alt.Tooltip("messages:Q", title=t("dashboard.axis.messages", lang))],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def active_members_chart(metrics: HealthMetrics, *, lang: str | None = None) -> alt.Chart:
    """DAU, WAU and MAU of one community over time."""
    act = metrics.activity
    labels = {key: t(f"dashboard.series.{key}", lang) for key in ("dau", "wau", "mau")}
    data = act[["dau", "wau", "mau"]].reset_index().melt("date", var_name="series", value_name="members")
    data["series"] = data["series"].map(labels)
    return (
        alt.Chart(_inline(data), title=t("dashboard.chart.active_members", lang))
        .mark_line(strokeWidth=1.4)
        .encode(
            x=_date_axis(lang),
            y=alt.Y("members:Q", title=t("dashboard.axis.members", lang)),
            color=alt.Color("series:N", title=None, sort=list(labels.values()), legend=alt.Legend(orient="top")),
            tooltip=[
                _day_tooltip(lang),
                alt.Tooltip("series:N", title=t("common.series", lang)),
                alt.Tooltip("members:Q", title=t("dashboard.axis.members", lang)),
            ],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )


def retention_heatmap(metrics: HealthMetrics, *, lang: str | None = None) -> alt.Chart:
    """Weekly cohorts (rows) by weeks since first message (columns), shaded by the share still posting.

    Shows the latest :data:`MAX_COHORTS` cohorts and the first :data:`MAX_RETENTION_WEEKS` weeks.
    """
    table = metrics.retention
    weeks = [c for c in table.columns if c != "members"][:MAX_RETENTION_WEEKS]
    table = table.tail(MAX_COHORTS)
    data = table[weeks].copy()
    data.index = data.index.strftime("%Y-%m-%d") + "  (" + table["members"].astype(str) + ")"
    data = data.rename_axis("cohort").reset_index().melt("cohort", var_name="week", value_name="retention").dropna()
    data["week"] = data["week"].astype(int)
    return (
        alt.Chart(_inline(data), title=t("dashboard.chart.retention", lang))
        .mark_rect()
        .encode(
            x=alt.X("week:O", title=t("dashboard.axis.weeks_since", lang)),
            y=alt.Y("cohort:O", title=t("dashboard.axis.cohort", lang)),
            color=alt.Color(
                "retention:Q",
                title=t("dashboard.axis.retention", lang),
                scale=alt.Scale(scheme="blues", domain=[0, 1]),
                legend=alt.Legend(format=".0%"),
            ),
            tooltip=[alt.Tooltip("cohort:O"), alt.Tooltip("week:O"), alt.Tooltip("retention:Q", format=".0%")],
        )
        .properties(width=WIDTH, height=max(120, 16 * len(table)))
    )


def lorenz_chart(metrics: HealthMetrics | Mapping[str, HealthMetrics], *, lang: str | None = None) -> alt.Chart:
    """Lorenz curve of messages per member, with the line of perfect equality."""
    many = _as_many(metrics, lang)
    frames = [m.inequality.lorenz.assign(community=name) for name, m in many.items()]
    data = pd.concat(frames, ignore_index=True)
    equality = pd.DataFrame(
        {"member_share": [0.0, 1.0], "content_share": [0.0, 1.0], "label": t("dashboard.series.equality", lang)}
    )
    x = alt.X("member_share:Q", title=t("dashboard.axis.member_share", lang), axis=alt.Axis(format=".0%"))
    y = alt.Y("content_share:Q", title=t("dashboard.axis.content_share", lang), axis=alt.Axis(format=".0%"))
    diagonal = alt.Chart(_inline(equality)).mark_line(strokeDash=[4, 4], color="#999").encode(x=x, y=y)
    curve = (
        alt.Chart(_inline(data))
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=_color(list(many)),
            tooltip=[alt.Tooltip("member_share:Q", format=".0%"), alt.Tooltip("content_share:Q", format=".1%")],
        )
    )
    return (diagonal + curve).properties(title=t("dashboard.chart.lorenz", lang), width=HEIGHT + 60, height=HEIGHT + 60)


def reply_buckets(metrics: HealthMetrics, *, lang: str | None = None) -> pd.DataFrame:
    """Share of opening messages whose first reply fell in each time bucket (or never came).

    Censored openers (posted less than a day before the export ends) are left out.
    """
    delays = metrics.replies.delays
    seconds = delays.loc[~delays["censored"], "delay_seconds"].to_numpy(dtype=float)
    edges = [0.0] + [edge for edge, _ in REPLY_BUCKETS]
    counts = np.histogram(seconds[~np.isnan(seconds)], bins=edges)[0] if len(seconds) else np.zeros(len(REPLY_BUCKETS))
    keys = [key for _, key in REPLY_BUCKETS] + ["never"]
    counts = np.r_[counts, np.isnan(seconds).sum()]
    total = counts.sum()
    return pd.DataFrame(
        {
            "key": keys,
            "bucket": [t(f"dashboard.bucket.{key}", lang) for key in keys],
            "openers": counts.astype(int),
            "share": counts / total if total else np.zeros(len(keys)),
        }
    )


def reply_time_chart(metrics: HealthMetrics | Mapping[str, HealthMetrics], *, lang: str | None = None) -> alt.Chart:
    """Bars of how soon opening messages got their first reply."""
    many = _as_many(metrics, lang)
    data = pd.concat(
        [reply_buckets(m, lang=lang).assign(community=name) for name, m in many.items()], ignore_index=True
    )
    order = list(reply_buckets(next(iter(many.values())), lang=lang)["bucket"]) if many else []
    encode = {
        # seven buckets share the chart's width: tilted, "30 min–2 h" and "无人回复" keep their room in every language
        "x": alt.X(
            "bucket:N",
            title=t("dashboard.axis.reply_bucket", lang),
            sort=order,
            axis=alt.Axis(labelAngle=-30, labelAlign="right", labelLimit=160),
        ),
        "y": alt.Y("share:Q", title=t("dashboard.axis.share", lang), axis=alt.Axis(format=".0%")),
        "color": _color(list(many)),
        "tooltip": [alt.Tooltip("bucket:N"), alt.Tooltip("share:Q", format=".1%"), alt.Tooltip("openers:Q")],
    }
    if len(many) > 1:
        encode["xOffset"] = alt.XOffset("community:N", sort=list(many))
    return (
        alt.Chart(_inline(data), title=t("dashboard.chart.reply_times", lang))
        .mark_bar()
        .encode(**encode)
        .properties(width=WIDTH, height=HEIGHT)
    )


def top_contributors_chart(metrics: HealthMetrics, *, lang: str | None = None) -> alt.Chart:
    """Horizontal bars of the most active pseudonymous members."""
    data = metrics.top.copy()
    return (
        alt.Chart(_inline(data), title=t("dashboard.chart.top", lang))
        .mark_bar(color="#1f77b4")
        .encode(
            x=alt.X("messages:Q", title=t("dashboard.axis.messages", lang)),
            y=alt.Y("name:N", title=None, sort="-x"),
            tooltip=[
                alt.Tooltip("name:N", title=t("dashboard.axis.author", lang)),
                alt.Tooltip("messages:Q"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 80, height=max(80, 20 * len(data)))
    )


def dashboard_charts(metrics: HealthMetrics, *, lang: str | None = None) -> dict[str, alt.Chart]:
    """Every chart of one community, by name (the report's and the dashboard's order)."""
    return {
        "activity": activity_chart(metrics, lang=lang),
        "active_members": active_members_chart(metrics, lang=lang),
        "retention": retention_heatmap(metrics, lang=lang),
        "lorenz": lorenz_chart(metrics, lang=lang),
        "reply_times": reply_time_chart(metrics, lang=lang),
        "top": top_contributors_chart(metrics, lang=lang),
    }
