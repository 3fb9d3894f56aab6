"""How a health summary value is shown to a reader: a share in percent, a duration in
seconds, minutes, hours or days (units from the catalog), a count with thousands
separators, or a ratio; and how an export format is named (``wechat`` is "微信" in Chinese).

Shared by the dashboard's monitors and the HTML report, so both show the same number the
same way; it needs neither altair nor vl-convert.
"""

from __future__ import annotations

import math

from communitylab.i18n import get_lang, has, t

__all__ = ["VALUE_STYLE", "format_value", "format_name"]

#: How each summary value is shown: share (percent), duration (seconds), count or ratio.
VALUE_STYLE: dict[str, str] = {
    "messages": "count",
    "members_posting": "count",
    "days": "count",
    "dau_mean": "ratio",
    "wau_last": "count",
    "mau_last": "count",
    "stickiness": "share",
    "week1_retention": "share",
    "top1_share": "share",
    "next9_share": "share",
    "bottom90_share": "share",
    "gini": "ratio",
    "median_reply_seconds": "duration",
    "unanswered_rate": "share",
    "member_share": "share",
    "operator_share": "share",
    "bot_share": "share",
    "activation_rate": "share",
    "churn_rate": "share",
}


def format_value(key: str, value: float, lang: str | None = None) -> str:
    """A summary value as a reader sees it (``"41.2 %"``, ``"12 min"``, ``"1,204"``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("dashboard.report.not_available", lang)
    style = VALUE_STYLE.get(key, "ratio")
    if style == "share":
        return f"{100 * value:.1f} %"
    if style == "count":
        return f"{int(value):,}"
    if style == "duration":
        minutes = value / 60
        if minutes < 1:
            return t("dashboard.duration.seconds", lang, value=value)
        if minutes < 120:
            return t("dashboard.duration.minutes", lang, value=minutes)
        hours = minutes / 60
        if hours < 48:
            return t("dashboard.duration.hours", lang, value=hours)
        return t("dashboard.duration.days", lang, value=hours / 24)
    return f"{value:.2f}"


def format_name(source_format: str, lang: str | None = None) -> str:
    """The export format as a reader names it ("WeChat", "微信"); an unknown format is shown as it is."""
    key = f"dashboard.format.{source_format}"
    return t(key, lang) if has(key, lang or get_lang()) else source_format
