"""How a health summary value is shown to a reader: a share in percent, a duration in
seconds, minutes, hours or days, a count with thousands separators, or a ratio.

Shared by the dashboard's monitors and the HTML report, so both show the same number the
same way; it needs neither altair nor vl-convert.
"""

from __future__ import annotations

import math

from communitylab.i18n import t

__all__ = ["VALUE_STYLE", "format_value"]

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
            return f"{value:.0f} s"
        if minutes < 120:
            return f"{minutes:.0f} min"
        hours = minutes / 60
        return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} d"
    return f"{value:.2f}"
