"""Health charts and the report's number formatting, on small hand-made tables."""

from __future__ import annotations

import math

import pandas as pd

from communitylab.data import metrics as M
from communitylab.data.schema import COLUMNS, KINDS
from communitylab.reports.charts import dashboard_charts, reply_buckets
from communitylab.reports.values import format_name, format_value


def table(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["message_id", "timestamp", "author_id", "reply_to"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize("UTC")
    frame["author_name"] = "name-" + frame["author_id"]
    frame["text"], frame["kind"], frame["thread"], frame["chat"] = "hi", "text", None, "g"
    frame["kind"] = pd.Categorical(frame["kind"], categories=KINDS)
    frame["source"], frame["is_bot"] = pd.Categorical(["synthetic"] * len(frame)), False
    for column in ("message_id", "author_id", "author_name", "text", "reply_to", "thread", "chat"):
        frame[column] = frame[column].astype("string")
    return frame[list(COLUMNS)]


def test_format_value():
    assert format_value("top1_share", 0.41234) == "41.2 %"
    assert format_value("messages", 1204) == "1,204"
    assert format_value("median_reply_seconds", 45) == "45 s"
    assert format_value("median_reply_seconds", 600) == "10 min"
    assert format_value("median_reply_seconds", 7200) == "2.0 h"
    assert format_value("median_reply_seconds", 3 * 86_400) == "3.0 d"
    assert format_value("gini", 0.5) == "0.50"
    assert format_value("churn_rate", float("nan"), "en") == "n/a"
    assert format_value("churn_rate", float("nan"), "zh_CN") == "无"


def test_durations_and_format_names_in_the_readers_language():
    assert format_value("median_reply_seconds", 45, "zh_CN") == "45 秒"
    assert format_value("median_reply_seconds", 600, "zh_CN") == "10 分钟"
    assert format_value("median_reply_seconds", 7200, "zh_CN") == "2.0 小时"
    assert format_value("median_reply_seconds", 3 * 86_400, "zh_CN") == "3.0 天"
    assert format_name("wechat", "zh_CN") == "微信"
    assert format_name("wechat", "en") == "WeChat"
    assert format_name("telegram", "zh_CN") == "Telegram"
    assert format_name("irc", "zh_CN") == "irc"  # a format the catalog does not name is shown as it is


def test_reply_buckets_by_hand():
    # three openers two days before the end: answered after 60 s, after 1000 s, and never
    rows = [
        ("q1", "2024-01-01 10:00:00", "a", None),
        ("r1", "2024-01-01 10:01:00", "b", "q1"),
        ("q2", "2024-01-01 11:00:00", "a", None),
        ("r2", "2024-01-01 11:16:40", "c", "q2"),
        ("q3", "2024-01-01 12:00:00", "b", None),
        ("end", "2024-01-03 12:00:00", "c", "q1"),
    ]
    buckets = reply_buckets(M.compute_all(table(rows)), lang="en").set_index("key")
    # "end" replies to q1 too, but q1 already had its first reply after 60 s
    assert buckets["openers"].to_dict() == {"m5": 1, "m30": 1, "h2": 0, "h6": 0, "h24": 0, "later": 0, "never": 1}
    assert math.isclose(buckets["share"].sum(), 1.0)
    assert buckets.loc["never", "bucket"] == "never"


def test_dashboard_charts_in_both_languages():
    rows = [(str(i), f"2024-01-{1 + i % 20:02d} 10:00:00", "abc"[i % 3], None) for i in range(40)]
    health = M.compute_all(table(rows))
    english = dashboard_charts(health, lang="en")
    chinese = dashboard_charts(health, lang="zh_CN")
    assert list(english) == ["activity", "active_members", "retention", "lorenz", "reply_times", "top"]
    assert english["activity"].to_dict()["title"] == "Messages per day"
    assert chinese["activity"].to_dict()["title"] == "每日消息数"
    assert chinese["lorenz"].to_dict()["title"] == "参与不均（洛伦兹曲线）"


def test_an_export_spanning_years_is_drawn_whole():
    # one message every other day for 5.5 years: 2,000 days of DAU/WAU/MAU are 6,000 rows,
    # more than altair accepts from a DataFrame by default
    start = pd.Timestamp("2019-01-01 09:00")
    rows = [(str(i), str(start + pd.Timedelta(days=2 * i)), "ab"[i % 2], None) for i in range(1000)]
    charts = dashboard_charts(M.compute_all(table(rows)), lang="en")
    spec = charts["active_members"].to_dict()
    assert sum(len(values) for values in spec["datasets"].values()) == 3 * 1999
