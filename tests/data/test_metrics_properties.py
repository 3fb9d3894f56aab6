"""Invariants of the health metrics on random tables (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.data import metrics as M
from communitylab.data.schema import COLUMNS, KINDS

KIND_CHOICES = ("text", "text", "text", "media", "sticker", "join", "leave", "system")


@st.composite
def tables(draw):
    n = draw(st.integers(min_value=0, max_value=120))
    # distinct times: with ties, the input order is the only order there is (importers keep file order)
    seconds = draw(st.lists(st.integers(0, 90 * 86_400), min_size=n, max_size=n, unique=True))
    authors = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    kinds = draw(st.lists(st.sampled_from(KIND_CHOICES), min_size=n, max_size=n))
    bots = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    links = draw(st.lists(st.one_of(st.none(), st.integers(0, max(n - 1, 0))), min_size=n, max_size=n))
    tz = draw(st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York"]))
    stamps = pd.Timestamp("2024-01-01", tz=tz) + pd.to_timedelta(seconds, unit="s")
    frame = pd.DataFrame(
        {
            "message_id": pd.array([str(i) for i in range(n)], dtype="string"),
            "timestamp": stamps,
            "author_id": pd.array([f"u{a}" for a in authors], dtype="string"),
            "author_name": pd.array([f"name{a}" for a in authors], dtype="string"),
            "text": pd.array(["x"] * n, dtype="string"),
            "kind": pd.Categorical(kinds, categories=KINDS),
            "reply_to": pd.array([None if link is None else str(link) for link in links], dtype="string"),
            "thread": pd.array([None] * n, dtype="string"),
            "chat": pd.array(["g"] * n, dtype="string"),
            "source": pd.Categorical(["synthetic"] * n),
            "is_bot": np.array(bots, dtype=bool) & np.array([a == 12 for a in authors], dtype=bool),
        }
    )
    return frame[list(COLUMNS)]


def _close(value: float, target: float) -> bool:
    return math.isnan(value) or abs(value - target) < 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_metric_invariants(frame):
    health = M.compute_all(frame)
    act = health.activity
    if len(act):
        assert (act["dau"] <= act["wau"]).all() and (act["wau"] <= act["mau"]).all()
        assert (act["stickiness"].between(0, 1)).all()
        assert act["messages"].sum() == (~frame["kind"].isin(["join", "leave", "system"]) & ~frame["is_bot"]).sum()
    ret = health.retention
    weeks = [c for c in ret.columns if c != "members"]
    if weeks:
        values = ret[weeks].to_numpy(dtype=float)
        assert np.nanmin(values) >= 0 and np.nanmax(values) <= 1
        assert (ret[0] == 1).all()
    ineq = health.inequality
    if not math.isnan(ineq.gini):
        assert 0 <= ineq.gini < 1
        assert _close(ineq.top1_share + ineq.next9_share + ineq.bottom90_share, 1.0)
        curve = ineq.lorenz["content_share"].to_numpy()
        assert (np.diff(curve) >= -1e-12).all() and (curve <= ineq.lorenz["member_share"].to_numpy() + 1e-12).all()
    replies = health.replies
    assert replies.considered <= len(replies.delays)
    assert math.isnan(replies.unanswered_rate) or 0 <= replies.unanswered_rate <= 1
    assert (replies.delays["delay_seconds"].dropna() >= 0).all()
    ops = health.operators
    assert _close(ops["member_share"] + ops["operator_share"] + ops["bot_share"], 1.0)
    for part in (health.activation, health.churn):
        assert math.isnan(part["rate"]) or 0 <= part["rate"] <= 1


@settings(max_examples=30, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(frame, random):
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    a, b = M.compute_all(frame).summary(), M.compute_all(shuffled).summary()
    for key in a:
        assert (math.isnan(a[key]) and math.isnan(b[key])) or a[key] == b[key], key
