"""Tests of model 06, platform choice and traffic migration.

No published figure exists for this model: everything is a course assumption
[assumption]. The reference numbers below come from the design note's throw-away
prototype [proto]; where our re-implementation differs, the docstring says by how much.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communitylab.models import migration


def _run(seed: int = 0, **changes) -> migration.Result:
    return migration.simulate(migration.Params(**changes), seed=seed)


def test_correlated_funnel_beats_the_product_of_average_step_rates():
    """[proto] mean step pass rates 0.42/0.40/0.27/0.38/0.34; one campaign converts 3.4 % of members while
    the product of the mean step rates predicts 0.6 %: motivated members pass every step [assumption]."""
    result = _run()
    np.testing.assert_allclose(result.step_pass_rates, [0.42, 0.40, 0.27, 0.38, 0.34], atol=0.01)
    s = result.summary()
    assert s["single_campaign_pct"] == pytest.approx(3.4, abs=0.15)
    assert s["step_product_pct"] == pytest.approx(0.6, abs=0.05)
    assert s["single_campaign_pct"] > 5 * s["step_product_pct"]


def test_correlation_vanishes_without_motivation_spread():
    """With identical members the steps are independent and the two figures coincide."""
    s = _run(motivation_spread=0).summary()
    assert s["single_campaign_pct"] == pytest.approx(s["step_product_pct"], rel=1e-9)


def test_mini_program_lifts_one_campaign():
    """[proto] mini-program (install friction 0.3): single campaign 4.7 %."""
    assert _run(mini_program=True).summary()["single_campaign_pct"] == pytest.approx(4.7, abs=0.15)


def test_app_membership_peaks_then_erodes():
    """[proto] app members peak at about 989 around day 91 and fall to 713 by day 364.

    Ours: peak 981 (within 1 %) but on day 63, and 627 on day 364 (12 % lower): in our
    re-implementation each campaign's yield falls more slowly (weekly gains 345, 240, 182,
    144, 118, 99 vs the prototype's 338, 216, 146, 101, 70, 49) while app churn bites
    earlier. A fatigue in logit space (each ask adds ``fatigue`` to every step's friction) would
    reproduce the prototype's weekly gains (344, 214, 142, 97, 68, 48) but not its peak (728 on
    day 35), so the prototype differed in more than one place; we keep the spec's equation
    ``c_i * exp(-fatigue * exposures_i)``. The shape (rise for two to three months, then erosion)
    is what is asserted.
    """
    result = _run()
    s = result.summary()
    assert s["app_peak"] == pytest.approx(989, rel=0.03)
    assert 45 <= s["app_peak_day"] <= 100
    assert 550 <= s["app_members_last_day"] <= 760
    assert s["app_members_last_day"] < s["app_peak"]
    assert result.weekly_app_gains[0] == pytest.approx(338, rel=0.04)
    assert np.all(np.diff(result.weekly_app_gains[:8]) < 0)  # each campaign moves fewer people


def test_closing_wechat_kills_the_inflow_and_the_value():
    """[proto] closing WeChat on day 30: day-364 value 429 vs 4,092 with the dual track.
    Ours: 465 vs 3,868 (8 % and 5 % off; ratio 0.12 vs 0.10). Reach is the fuel, depth the engine."""
    dual = _run().summary()["value_last_day"]
    closed = _run(close_day=30).summary()["value_last_day"]
    assert dual == pytest.approx(4092, rel=0.07)
    assert closed == pytest.approx(429, rel=0.10)
    assert closed < 0.15 * dual


def test_stopping_the_traffic_source_lowers_value():
    assert _run(keep_wechat=False).summary()["value_last_day"] < _run().summary()["value_last_day"]


def test_less_install_friction_moves_more_members():
    assert (
        _run(friction_install=0.5).summary()["app_members_last_day"]
        > _run(friction_install=1.2).summary()["app_members_last_day"]
    )


def test_members_are_conserved_without_leaving():
    """No leaving, no newcomers, no churn: everyone stays in WeChat and app members only grow."""
    result = _run(wechat_leave_rate=0, daily_inflow=0, app_churn=0)
    np.testing.assert_allclose(result.in_wechat, 10_000, rtol=1e-12)
    np.testing.assert_allclose(result.joined, 10_000, rtol=1e-12)
    assert np.all(np.diff(result.in_app) >= -1e-9)
    np.testing.assert_allclose(result.in_app, np.cumsum(result.app_gains), rtol=1e-9)
    np.testing.assert_allclose(result.wechat_only + result.in_app, 10_000, rtol=1e-9)


def test_closed_wechat_is_empty():
    result = _run(close_day=30)
    assert result.in_wechat[29] > 0
    assert np.all(result.in_wechat[30:] == 0)
    assert np.all(result.app_gains[30:] == 0)
    assert result.joined[-1] == pytest.approx(10_000 + 10 * 30)


def test_large_audiences_use_weighted_members_and_keep_the_totals():
    result = _run(members=1_000_000, daily_inflow=10_000, wechat_leave_rate=0, app_churn=0)
    assert result.joined[-1] == pytest.approx(1_000_000 + 10_000 * 365, rel=1e-9)
    assert result.summary()["single_campaign_pct"] == pytest.approx(3.4, abs=0.2)


@pytest.mark.parametrize(
    ("field", "value"),
    [("members", 50), ("fatigue", 3.0), ("close_day", -2), ("read_app", 1.5), ("campaign_every_days", 0)],
)
def test_invalid_parameters_name_field_value_and_range(field, value):
    with pytest.raises(ValueError) as error:
        migration.Params(**{field: value})
    spec = migration.Params.specs()[field]
    message = str(error.value)
    assert f"migration.{field}" in message and repr(value) in message
    assert f"[{spec.lo:g}, {spec.hi:g}]" in message


def test_sweep_over_install_friction():
    table = migration.sweep(migration.Params(members=1000, days=60), "friction_install", [0.3, 1.2, 3.0])
    assert list(table["friction_install"]) == [0.3, 1.2, 3.0]
    assert table["single_campaign_pct"].is_monotonic_decreasing


@settings(max_examples=40, deadline=None)
@given(
    members=st.integers(100, 50_000),
    inflow=st.floats(0, 200),
    spread=st.floats(0, 3),
    frictions=st.lists(st.floats(0, 5), min_size=5, max_size=5),
    every=st.integers(1, 90),
    fatigue=st.floats(0, 2),
    keep=st.booleans(),
    close_day=st.integers(-1, 400),
    leave=st.floats(0, 0.1),
    churn=st.floats(0, 0.2),
    habit=st.floats(0, 0.1),
    days=st.integers(30, 400),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_valid_plan_is_sane_and_reproducible(
    members, inflow, spread, frictions, every, fatigue, keep, close_day, leave, churn, habit, days, seed
):
    params = migration.Params(
        members=members,
        daily_inflow=inflow,
        motivation_spread=spread,
        friction_see=frictions[0],
        friction_click=frictions[1],
        friction_install=frictions[2],
        friction_register=frictions[3],
        friction_first_action=frictions[4],
        campaign_every_days=every,
        fatigue=fatigue,
        keep_wechat=keep,
        close_day=close_day,
        wechat_leave_rate=leave,
        app_churn=churn,
        app_habit=habit,
        days=days,
    )
    result = migration.simulate(params, seed)
    for name, series in result.series().items():
        assert series.shape == (days,), name
        assert np.all(np.isfinite(series)), name
        assert np.all(series >= 0), name
    # nobody is in a channel who never arrived; app members cannot exceed everyone who ever joined
    assert np.all(result.in_wechat <= result.joined * (1 + 1e-9))
    assert np.all(result.in_app <= result.joined * (1 + 1e-9))
    assert np.all(result.wechat_only <= result.in_wechat * (1 + 1e-9) + 1e-9)
    summary = result.summary()
    assert all(math.isfinite(v) and v >= 0 for v in summary.values())
    again = migration.simulate(params, seed)
    np.testing.assert_array_equal(again.value_per_day, result.value_per_day)
