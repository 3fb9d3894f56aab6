"""Tests of the capstone model: the six pillars coupled.

The couplings are course assumptions [assumption]; what is tested is that the
chain really runs through the pillar modules, that default plan choices reproduce
each pillar's own defaults, and that each lever moves what the design note says it moves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communitylab.models import attention, brand, community, migration, monetization, participation, service_loop


def _summary(seed: int = 0, **changes) -> dict[str, float]:
    return community.simulate(community.Params(**changes), seed=seed).summary()


def test_default_plan_hands_each_pillar_its_own_defaults():
    """Attention and participation run exactly as in their own labs; the service loop differs only in word
    of mouth, which the engaged share sets (the default followers are its default audience and outreach)."""
    plan = community.Params()
    result = community.simulate(plan, seed=0)
    assert result.posting_multiplier == pytest.approx(1.0, abs=1e-12)
    own_group = participation.simulate(participation.Params(), seed=0)
    np.testing.assert_allclose(result.posts_per_day, own_group.posts_per_day)
    own_attention = attention.simulate(attention.Params(members=community.ATTENTION_SAMPLE), seed=0)
    np.testing.assert_allclose(result.read_share, own_attention.read_share)
    pillars = community.pillar_params(plan)
    assert pillars["service_loop"].replace(word_of_mouth=0.38) == service_loop.Params()
    assert "migration" not in pillars  # a WeChat group only: no migration run


def test_brand_pillar_is_the_launch_the_brand_model_expects():
    """Brand model: a launch brings F * reach * join scans, each 1 / (1 - R) people with its forwards."""
    result = community.simulate(community.Params(followers=3000, reach=0.5), seed=0)
    own = brand.Params(followers=3000, reach=0.5)
    attempts = own.expected_direct / (1 - own.reproduction_number)
    assert result.launch_attempts == pytest.approx(attempts)
    assert result.fill_share == pytest.approx(min(1.0, attempts / 500))
    # a smaller following fills less of a group and brings members more slowly
    small = community.simulate(community.Params(followers=1000), seed=0)
    assert small.fill_share < community.simulate(community.Params(), seed=0).fill_share
    assert small.outreach_rate < 0.03


def test_platform_pillar_runs_the_migration_model_with_the_app():
    wechat = community.simulate(community.Params(checkin=True), seed=0)
    app = community.simulate(community.Params(checkin=True, app=True, mini_program=True), seed=0)
    assert wechat.moved_share == 0 and wechat.reading_share == pytest.approx(migration.Params().read_wechat)
    moved = app.pillars["migration"]
    assert isinstance(moved, migration.Result) and moved.params.mini_program and moved.params.members == 500
    assert app.moved_share == pytest.approx(moved.in_app[-1] / (moved.in_app[-1] + moved.wechat_only[-1]))
    assert app.reading_share > wechat.reading_share
    # members in the app see more of the paid offer
    assert app.pillars["monetization"].params.max_conversion > wechat.pillars["monetization"].params.max_conversion


def test_word_of_mouth_is_the_bass_average_times_the_engaged_share():
    """Sultan, Farley & Lehmann (1990): average imitation q = 0.38/yr, here scaled by the engaged share."""
    result = community.simulate(community.Params(checkin=True), seed=0)
    engaged_share = result.engaged.mean() / 500
    assert result.word_of_mouth == pytest.approx(0.38 * engaged_share)


def test_checkin_keeps_the_group_engaged_and_grows_the_community():
    """Participation model [proto]: with a daily check-in a group of 500 never goes quiet (491 engaged on day
    364); without it the group dies. Through word of mouth the community ends larger and healthier."""
    without = _summary()
    with_checkin = _summary(checkin=True)
    assert without["engaged"] < 10
    assert with_checkin["engaged"] == pytest.approx(491, abs=5)
    assert with_checkin["members"] > without["members"]
    assert with_checkin["health_score"] > without["health_score"] + 15


def test_closing_the_loop_keeps_more_members_and_loyalty():
    """Service loop [proto]: closed vs open loop, 179 vs 115 members on day 365, loyal share 0.71 vs 0.60.
    With check-in the engaged share is 0.98, so word of mouth is close to the loop's own default."""
    closed = _summary(checkin=True)
    open_loop = _summary(checkin=True, loop_closure=0)
    assert closed["members"] == pytest.approx(179, rel=0.03)
    assert open_loop["members"] == pytest.approx(115, rel=0.03)
    assert closed["loyal_share_pct"] > open_loop["loyal_share_pct"]


def test_posting_more_lowers_attention_and_member_posting():
    """Attention [proto]: posting volume 20 -> 200 msgs/day cuts the day-364 read share 0.56 % -> 0.11 %;
    in the capstone that lowers how much members post."""
    loud = community.simulate(community.Params(posts_per_day=200, checkin=True), seed=0)
    assert loud.summary()["read_share_pct"] == pytest.approx(0.11, abs=0.03)
    assert loud.posting_multiplier < 0.5


def test_hard_selling_costs_revenue_and_health():
    """Monetization [proto]: revenue is an inverted U in selling intensity; 1.5 is far past the peak."""
    moderate = _summary(checkin=True)
    hard = _summary(checkin=True, selling_intensity=1.5)
    assert hard["revenue"] < moderate["revenue"]
    assert hard["health_score"] < moderate["health_score"]


def test_health_score_is_the_geometric_mean_of_six_pillars():
    result = community.simulate(community.Params(moderators=5), seed=1)
    components = community.health_components(result)
    assert tuple(components) == community.PILLARS and len(community.PILLARS) == 6
    assert all(0 <= value <= 1 for value in components.values())
    floored = np.clip(list(components.values()), community.SHARE_FLOOR, 1)
    assert result.summary()["health_score"] == pytest.approx(100 * np.exp(np.mean(np.log(floored))))


def test_a_starved_pillar_scores_below_a_balanced_plan_with_the_same_mean():
    """The geometric mean: a community dies of its weakest pillar, as the article argues."""
    balanced = dict.fromkeys(community.PILLARS, 0.6)
    starved = {**dict.fromkeys(community.PILLARS, 0.7), "brand": 0.1}
    assert np.mean(list(starved.values())) == pytest.approx(np.mean(list(balanced.values())))
    assert community.health_score(starved) < community.health_score(balanced) - 9
    assert community.health_score({**balanced, "participation": 0.0}) < 31


def test_revenue_comes_from_the_monetization_pillar():
    result = community.simulate(community.Params(checkin=True), seed=0)
    money = result.pillars["monetization"]
    assert isinstance(money, monetization.Result)
    assert result.summary()["revenue"] == pytest.approx(money.cumulative_revenue[-1])
    assert result.pillars["monetization"].params.free_members >= 100


@pytest.mark.parametrize(
    ("field", "value"), [("niche_width", 0.01), ("group_members", 501), ("price", 0), ("days", 30)]
)
def test_invalid_plan_names_field_value_and_range(field, value):
    with pytest.raises(ValueError) as error:
        community.Params(**{field: value})
    spec = community.Params.specs()[field]
    message = str(error.value)
    assert f"community.{field}" in message and repr(value) in message
    assert f"[{spec.lo:g}, {spec.hi:g}]" in message


def test_sweep_over_loop_closure():
    table = community.sweep(community.Params(checkin=True, days=120), "loop_closure", [0.0, 1.0])
    assert table["members"].iloc[1] > table["members"].iloc[0]


@settings(max_examples=20, deadline=None)
@given(
    niche=st.floats(0.02, 0.5),
    posts=st.floats(1, 200),
    group=st.integers(10, 500),
    checkin=st.booleans(),
    moderators=st.integers(0, 50),
    followers=st.integers(100, 1_000_000),
    reach=st.floats(0.01, 1),
    app=st.booleans(),
    follow=st.floats(0, 1),
    closure=st.floats(0, 1),
    price=st.floats(1, 500),
    selling=st.floats(0, 2),
    days=st.integers(90, 400),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_plan_is_sane_and_reproducible(
    niche, posts, group, checkin, moderators, followers, reach, app, follow, closure, price, selling, days, seed
):
    plan = community.Params(
        niche_width=niche,
        posts_per_day=posts,
        group_members=group,
        checkin=checkin,
        moderators=moderators,
        followers=followers,
        reach=reach,
        app=app,
        follow_up_share=follow,
        loop_closure=closure,
        price=price,
        selling_intensity=selling,
        days=days,
    )
    result = community.simulate(plan, seed)
    for name, series in result.series().items():
        assert series.shape == (days,), name
        assert np.all(np.isfinite(series)) and np.all(series >= -1e-9), name
    summary = result.summary()
    assert all(math.isfinite(v) and v >= 0 for v in summary.values())
    assert 0 <= summary["health_score"] <= 100
    assert summary["members"] <= max(followers, 100) + 1e-6
    assert summary["engaged"] <= group + 1e-9
    again = community.simulate(plan, seed)
    assert again.summary() == summary
