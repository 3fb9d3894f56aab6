"""Health metrics on tiny tables whose expected values are worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from communitylab.data import metrics as M
from communitylab.data.schema import COLUMNS, KINDS

TZ = "Asia/Shanghai"


def table(rows, tz: str = TZ) -> pd.DataFrame:
    """Build a ``Messages`` table from (id, local time, author, kind, reply_to, thread, is_bot) tuples."""
    frame = pd.DataFrame(rows, columns=["message_id", "timestamp", "author_id", "kind", "reply_to", "thread", "is_bot"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize(tz)
    frame["author_name"] = "name-" + frame["author_id"]
    frame["text"] = "hello"
    frame["source"] = pd.Categorical(["synthetic"] * len(frame))
    frame["chat"] = "group"
    frame["kind"] = pd.Categorical(frame["kind"], categories=KINDS)
    for column in ("message_id", "author_id", "author_name", "text", "reply_to", "thread", "chat"):
        frame[column] = frame[column].astype("string")
    return frame[list(COLUMNS)]


def msg(mid, when, author, kind="text", reply_to=None, thread=None, bot=False):
    return (mid, when, author, kind, reply_to, thread, bot)


# ---------------------------------------------------------------- DAU / WAU / MAU


def test_dau_wau_mau_by_hand():
    # a posts on Jan 1 and Jan 9; b on Jan 1 (twice) and Jan 3; c on Jan 9 at 23:30 local time,
    # which is 15:30 UTC the same day: local days must be used.
    rows = [
        msg("1", "2024-01-01 08:00", "a"),
        msg("2", "2024-01-01 09:00", "b"),
        msg("3", "2024-01-01 10:00", "b"),
        msg("4", "2024-01-03 12:00", "b"),
        msg("5", "2024-01-09 12:00", "a"),
        msg("6", "2024-01-09 23:30", "c"),
    ]
    act = M.active_users(table(rows))
    assert len(act) == 9  # every day from Jan 1 to Jan 9
    # messages per day: Jan1 3, Jan3 1, Jan9 2, other days 0
    assert act["messages"].tolist() == [3, 0, 1, 0, 0, 0, 0, 0, 2]
    # DAU: Jan1 {a,b}=2, Jan3 {b}=1, Jan9 {a,c}=2
    assert act["dau"].tolist() == [2, 0, 1, 0, 0, 0, 0, 0, 2]
    # WAU (7 days ending that day): Jan1..Jan7 include Jan1 -> {a,b}=2;
    # Jan8 covers Jan2..Jan8 -> {b (Jan3)} = 1; Jan9 covers Jan3..Jan9 -> {b,a,c} = 3
    assert act["wau"].tolist() == [2, 2, 2, 2, 2, 2, 2, 1, 3]
    # MAU (30 days): Jan1..Jan8 -> {a,b}=2; Jan9 -> {a,b,c}=3
    assert act["mau"].tolist() == [2] * 8 + [3]
    # stickiness = dau/mau: Jan1 2/2, Jan3 1/2, Jan9 2/3
    assert act["stickiness"].iloc[0] == 1.0
    assert act["stickiness"].iloc[2] == 0.5
    assert act["stickiness"].iloc[8] == pytest.approx(2 / 3)
    # fewer than 30 days: mean DAU / mean MAU over all 9 days = (5/9) / (19/9) = 5/19
    assert M.stickiness(act) == pytest.approx(5 / 19)


def test_bots_and_events_are_not_active_members():
    rows = [
        msg("1", "2024-01-01 08:00", "a"),
        msg("2", "2024-01-01 09:00", "bot", bot=True),
        msg("3", "2024-01-01 10:00", "z", kind="join"),
    ]
    act = M.active_users(table(rows))
    assert act["dau"].tolist() == [1]
    assert act["messages"].tolist() == [1]
    assert M.active_users(table(rows), include_bots=True)["dau"].tolist() == [2]


def test_mau_window_drops_member_after_30_days():
    # a posts on day 0 only; on day 29 (Jan 30) the 30-day window still holds day 0, on day 30 it does not.
    rows = [msg("1", "2024-01-01 08:00", "a"), msg("2", "2024-01-31 08:00", "b")]
    act = M.active_users(table(rows))
    assert act.loc["2024-01-30", "mau"] == 1
    assert act.loc["2024-01-31", "mau"] == 1  # only b: a dropped out, b arrived
    assert act.loc["2024-01-08", "wau"] == 0  # Jan 2..8 has nobody


# ---------------------------------------------------------------- cohort retention


def test_cohort_retention_by_hand():
    # Weeks start on Monday: 2024-01-01 is a Monday.
    # a: first week W0 (Jan 1), posts again in W1 and W2 -> cohort W0, active weeks 0,1,2
    # b: first week W0, posts again in W2 only       -> cohort W0, active weeks 0,2
    # c: first week W1 (Jan 8), posts in W2          -> cohort W1, active weeks 0,1
    rows = [
        msg("1", "2024-01-01 10:00", "a"),
        msg("2", "2024-01-07 22:00", "b"),  # Sunday, still W0
        msg("3", "2024-01-08 10:00", "a"),
        msg("4", "2024-01-09 10:00", "c"),
        msg("5", "2024-01-15 10:00", "a"),
        msg("6", "2024-01-16 10:00", "b"),
        msg("7", "2024-01-17 10:00", "c"),
    ]
    ret = M.cohort_retention(table(rows))
    assert list(ret.index.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-01-08"]
    assert ret["members"].tolist() == [2, 1]
    # cohort W0: week0 2/2, week1 {a}=1/2, week2 {a,b}=2/2
    assert ret.loc["2024-01-01", [0, 1, 2]].tolist() == [1.0, 0.5, 1.0]
    # cohort W1: week0 1/1, week1 {c}=1/1, week2 lies after the data ends -> NaN
    assert ret.loc["2024-01-08", 0] == 1.0
    assert ret.loc["2024-01-08", 1] == 1.0
    assert math.isnan(ret.loc["2024-01-08", 2])


# ---------------------------------------------------------------- participation inequality


def test_inequality_by_hand():
    # Messages per member: [10, 5, 3, 1, 1] plus 5 members seen only joining -> n = 10, total 20.
    rows = []
    counter = iter(range(1000))
    for author, count in {"a": 10, "b": 5, "c": 3, "d": 1, "e": 1}.items():
        rows += [msg(str(next(counter)), "2024-01-01 10:00", author) for _ in range(count)]
    rows += [msg(str(next(counter)), "2024-01-01 09:00", f"lurker{i}", kind="join") for i in range(5)]
    ineq = M.participation_inequality(table(rows))
    assert ineq.members == 10 and ineq.posters == 5
    # top 1 % of 10 members = 0.1 member = 0.1 * 10 messages = 1 of 20 -> 0.05
    assert ineq.top1_share == pytest.approx(0.05)
    # top 10 % = member a = 10/20 = 0.5 -> next 9 % = 0.45, bottom 90 % = 0.5
    assert ineq.next9_share == pytest.approx(0.45)
    assert ineq.bottom90_share == pytest.approx(0.5)
    # Gini with ascending x = [0,0,0,0,0,1,1,3,5,10]: sum i*x = 6+7+24+45+100 = 182,
    # G = 2*182/(10*20) - 11/10 = 1.82 - 1.10 = 0.72
    assert ineq.gini == pytest.approx(0.72)
    # Lorenz: bottom 50 % hold 0 content, bottom 70 % hold 2/20 = 0.1
    curve = ineq.lorenz
    share_at = lambda q: np.interp(q, curve["member_share"], curve["content_share"])  # noqa: E731
    assert share_at(0.5) == pytest.approx(0.0)
    assert share_at(0.7) == pytest.approx(0.1)
    assert share_at(0.8) == pytest.approx(0.25)  # plus c's 3 messages: 5/20
    assert curve["content_share"].iloc[-1] == pytest.approx(1.0)


def test_inequality_population_and_equal_shares():
    rows = [msg(str(i), "2024-01-01 10:00", author) for i, author in enumerate("abcd")]
    equal = M.participation_inequality(table(rows))
    assert equal.gini == pytest.approx(0.0)  # everyone posted once
    assert equal.top1_share == pytest.approx(0.01)
    # with 8 members of whom 4 are silent: ascending [0,0,0,0,1,1,1,1], sum i*x = 5+6+7+8 = 26,
    # G = 2*26/(8*4) - 9/8 = 1.625 - 1.125 = 0.5
    padded = M.participation_inequality(table(rows), population=8)
    assert padded.gini == pytest.approx(0.5)
    assert padded.poster_share == 0.5
    with pytest.raises(ValueError, match="population"):
        M.participation_inequality(table(rows), population=3)


# ---------------------------------------------------------------- reply times


def test_explicit_reply_times_by_hand():
    # end of data: 2024-01-03 12:00. Window 24 h -> openers after 2024-01-02 12:00 are censored.
    rows = [
        msg("q1", "2024-01-01 10:00", "a"),  # answered by b after 5 min (and by c later)
        msg("r1", "2024-01-01 10:05", "b", reply_to="q1"),
        msg("r2", "2024-01-01 11:00", "c", reply_to="q1"),
        msg("q2", "2024-01-01 12:00", "a"),  # only a self-reply -> unanswered
        msg("r3", "2024-01-01 12:01", "a", reply_to="q2"),
        msg("q3", "2024-01-01 13:00", "b"),  # thread reply from a after 30 h -> answered, but not in window
        msg("r4", "2024-01-02 19:00", "a", thread="q3"),
        msg("q4", "2024-01-03 11:00", "c"),  # censored (less than 24 h before the end)
        msg("x", "2024-01-03 12:00", "d", kind="system"),
    ]
    rep = M.reply_times(table(rows))
    assert rep.method == "explicit"
    # openers q1..q4; considered = 3 (q4 censored); unanswered in window: q2, q3 -> 2/3
    assert rep.considered == 3
    assert rep.unanswered_rate == pytest.approx(2 / 3)
    # answered openers: q1 300 s, q3 30 h = 108000 s -> median 54150 s
    assert rep.median_seconds == pytest.approx((300 + 108_000) / 2)
    delays = rep.delays.set_index(rep.delays["timestamp"].dt.tz_convert(TZ).dt.strftime("%d %H:%M"))["delay_seconds"]
    assert delays.loc["01 10:00"] == 300
    assert math.isnan(delays.loc["01 12:00"])


def test_heuristic_reply_times_by_hand():
    # no reply links: openers come after >= 1 h of silence; reply = next message by someone else.
    rows = [
        msg("1", "2024-01-01 10:00", "a"),  # opener; a again at 10:01, b at 10:10 -> 600 s
        msg("2", "2024-01-01 10:01", "a"),
        msg("3", "2024-01-01 10:10", "b"),
        msg("4", "2024-01-01 15:00", "c"),  # opener (gap 4h50) ; next other author a at 15:30 -> 1800 s
        msg("5", "2024-01-01 15:30", "a"),
        msg("6", "2024-01-03 09:00", "b"),  # opener; c speaks only after 2 h of silence -> unanswered
        msg("7", "2024-01-03 11:00", "c"),  # opener of a new conversation; b again at 11:30 -> unanswered
        msg("8", "2024-01-03 11:30", "c"),
        msg("9", "2024-01-05 09:00", "b"),  # opener at the very end -> censored
    ]
    rep = M.reply_times(table(rows))
    assert rep.method == "heuristic"
    # openers 1, 4, 6, 7, 9; 9 is censored (posted at the end); considered 4, unanswered {6, 7} -> 2/4
    assert rep.considered == 4
    assert rep.unanswered_rate == pytest.approx(2 / 4)
    assert sorted(rep.delays["delay_seconds"].dropna().tolist()) == [600.0, 1800.0]
    assert rep.median_seconds == pytest.approx(1200.0)
    assert rep.delays["delay_seconds"].isna().sum() == 3


# ---------------------------------------------------------------- operators, activation, churn


def test_operator_share_by_hand():
    # a 5 messages, b 3, c 2, bot 2: total 12 messages
    rows = [msg(f"a{i}", "2024-01-01 10:00", "a") for i in range(5)]
    rows += [msg(f"b{i}", "2024-01-01 11:00", "b") for i in range(3)]
    rows += [msg(f"c{i}", "2024-01-01 12:00", "c") for i in range(2)]
    rows += [msg(f"t{i}", "2024-01-01 13:00", "bot", bot=True) for i in range(2)]
    frame = table(rows)
    top1 = M.operator_share(frame, top_k=1)
    # operator = a: 5/12; bots 2/12; members 5/12
    assert top1["operators"] == ["a"]
    assert top1["operator_share"] == pytest.approx(5 / 12)
    assert top1["bot_share"] == pytest.approx(2 / 12)
    assert top1["member_share"] == pytest.approx(5 / 12)
    given = M.operator_share(frame, operators=["c"])
    assert given["rule"] == "given"
    assert given["operator_share"] == pytest.approx(2 / 12)


def test_newcomer_activation_by_hand():
    # end = 2024-01-20. a joins Jan 1 and posts Jan 3 (activated); b joins Jan 2 and posts Jan 12
    # (too late); c joins Jan 5 and never posts; d joins Jan 18 (censored, < 7 days before the end).
    rows = [
        msg("j1", "2024-01-01 10:00", "a", kind="join"),
        msg("j2", "2024-01-02 10:00", "b", kind="join"),
        msg("m1", "2024-01-03 10:00", "a"),
        msg("j3", "2024-01-05 10:00", "c", kind="join"),
        msg("m2", "2024-01-12 10:00", "b"),
        msg("j4", "2024-01-18 10:00", "d", kind="join"),
        msg("m3", "2024-01-20 10:00", "e"),
    ]
    act = M.newcomer_activation(table(rows), within_days=7)
    # joiners considered: a, b, c -> activated {a} -> 1/3
    assert act == {"joiners": 3, "activated": 1, "rate": pytest.approx(1 / 3), "censored": 1}


def test_churn_by_hand():
    # end = 2024-03-01 (day 60). silent_days 30 -> cutoff 2024-01-31.
    # a: Jan 1 .. Feb 20 -> eligible, active recently -> retained
    # b: Jan 1 .. Jan 10 -> eligible, silent 51 days -> churned
    # c: Jan 5, then a leave event Feb 25 -> eligible, churned (left)
    # d: first post Feb 10 -> not eligible
    rows = [
        msg("1", "2024-01-01 10:00", "a"),
        msg("2", "2024-01-01 10:00", "b"),
        msg("3", "2024-01-05 10:00", "c"),
        msg("4", "2024-01-10 10:00", "b"),
        msg("5", "2024-02-10 10:00", "d"),
        msg("6", "2024-02-20 10:00", "a"),
        msg("7", "2024-02-25 10:00", "c", kind="leave"),
        msg("8", "2024-03-01 10:00", "d"),
    ]
    out = M.churn(table(rows), silent_days=30)
    # c is silent since Jan 5 anyway, and also left: churned once, counted in left
    assert out == {"eligible": 3, "churned": 2, "left": 1, "rate": pytest.approx(2 / 3)}


def test_compute_all_and_top_contributors():
    rows = [msg(f"a{i}", f"2024-01-0{i + 1} 10:00", "a") for i in range(3)]
    rows += [msg("b0", "2024-01-02 10:30", "b", reply_to="a1")]
    health = M.compute_all(table(rows))
    summary = health.summary()
    assert summary["messages"] == 4
    assert summary["members_posting"] == 2
    assert health.top["author"].tolist() == ["a", "b"]
    assert health.top["name"].tolist() == ["name-a", "name-b"]
    assert health.top["share"].tolist() == [0.75, 0.25]
    assert summary["member_share"] + summary["operator_share"] + summary["bot_share"] == pytest.approx(1.0)


def test_empty_and_unsorted_input():
    rows = [msg("2", "2024-01-02 10:00", "b"), msg("1", "2024-01-01 10:00", "a")]
    act = M.active_users(table(rows))
    assert act["dau"].tolist() == [1, 1]  # input order does not matter
    empty = table([])
    assert len(M.active_users(empty)) == 0
    assert math.isnan(M.participation_inequality(empty).gini)
    assert math.isnan(M.reply_times(empty).unanswered_rate)


def test_metrics_agree_with_a_naive_loop_on_random_data():
    rng = np.random.default_rng(3)
    n = 400
    start = pd.Timestamp("2024-01-01", tz=TZ)
    stamps = start + pd.to_timedelta(np.sort(rng.integers(0, 60 * 86_400, n)), unit="s")
    rows = [msg(str(i), stamps[i].tz_localize(None), f"u{rng.integers(0, 30)}") for i in range(n)]
    frame = table(rows)
    act = M.active_users(frame)
    local_day = frame["timestamp"].dt.tz_localize(None).dt.normalize()
    for day in act.index[::7]:
        window = frame[(local_day > day - pd.Timedelta(days=30)) & (local_day <= day)]
        assert act.loc[day, "mau"] == window["author_id"].nunique()
        week = frame[(local_day > day - pd.Timedelta(days=7)) & (local_day <= day)]
        assert act.loc[day, "wau"] == week["author_id"].nunique()


def test_heuristic_replies_stay_within_their_chat():
    # chat A: a at 10:00, c at 10:20; chat B: b at 10:05. Mixed together b would look like a's
    # answer after 300 s; per chat, a is answered by c after 1200 s and b by nobody.
    rows = [msg("1", "2024-01-01 10:00", "a"), msg("2", "2024-01-01 10:05", "b"), msg("3", "2024-01-01 10:20", "c")]
    frame = table(rows)
    frame["chat"] = pd.array(["A", "B", "A"], dtype="string")
    rep = M.reply_times(frame, method="heuristic")
    assert sorted(rep.delays["delay_seconds"].dropna().tolist()) == [1200.0]
    assert rep.delays["delay_seconds"].isna().sum() == 1
