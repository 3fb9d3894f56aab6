"""Tests of "monetization is a result": selling plans against a community whose value grows (module 04)."""

from __future__ import annotations

import numpy as np
import pytest

from communitylab.models import monetization
from communitylab.models.monetization import SELL_FIRST, VALUE_FIRST, Plan

TWO_YEARS = monetization.Params(days=730)


def test_with_value_fixed_and_one_intensity_it_is_the_core_model():
    params = monetization.Params(selling_intensity=0.3)
    run = monetization.run_plan(params, Plan("flat", 0.3, 0.3, 0), value_start=1.0)
    core = monetization.simulate(params)
    assert np.allclose(run.cumulative_revenue, core.cumulative_revenue, rtol=1e-12)
    assert np.allclose(run.free, core.free) and np.allclose(run.paid, core.paid)


def test_value_curve_starts_at_v0_and_approaches_one():
    value = monetization.plans.value_curve(730, 0.4, 90.0)
    assert value[0] == pytest.approx(0.4) and value[90] == pytest.approx(0.4 + 0.6 * (1 - np.exp(-1)))
    assert np.all(np.diff(value) > 0) and value[-1] == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError, match="value_start"):
        monetization.plans.value_curve(10, 0.0, 90.0)


def test_selling_first_drives_members_out():
    sell, value = (monetization.run_plan(TWO_YEARS, plan) for plan in (SELL_FIRST, VALUE_FIRST))
    # reference run: day 90, 2,066 members against 7,729; day 365, 1,654 against 2,605
    assert sell.members[89] == pytest.approx(2066, rel=0.01) and value.members[89] == pytest.approx(7729, rel=0.01)
    assert sell.members[364] == pytest.approx(1654, rel=0.01) and value.members[364] == pytest.approx(2605, rel=0.01)
    assert np.all(value.members >= sell.members)


def test_revenue_follows_value_value_first_collects_more():
    table = monetization.compare_plans().set_index(["plan", "day"])["cash_so_far"]
    # reference run: ¥21,825 / ¥28,075 after a year, ¥59,131 / ¥84,868 after two (+44 %)
    assert table["sell_first", 365] == pytest.approx(21_825, rel=0.01)
    assert table["value_first", 365] == pytest.approx(28_075, rel=0.01)
    assert table["sell_first", 730] == pytest.approx(59_131, rel=0.01)
    assert table["value_first", 730] == pytest.approx(84_868, rel=0.01)
    # selling first leads only at first; value first overtakes it on day 260
    sell, value = (monetization.run_plan(TWO_YEARS, plan) for plan in (SELL_FIRST, VALUE_FIRST))
    assert sell.cumulative_revenue[179] > value.cumulative_revenue[179]
    assert int(np.argmax(value.cumulative_revenue > sell.cumulative_revenue)) + 1 == 260


def test_the_lead_grows_when_willingness_to_pay_follows_value():
    """Without the value mechanism the hard-selling plan still loses, but by much less (+18 % instead of +44 %)."""

    def lead(value_start: float) -> float:
        cash = monetization.compare_plans(checkpoints=(730,), value_start=value_start).set_index("plan")["cash_so_far"]
        return cash["value_first"] / cash["sell_first"]

    assert lead(1.0) == pytest.approx(1.18, abs=0.01)
    assert lead(0.4) == pytest.approx(1.44, abs=0.01)
    assert all(1.3 < lead(v0) < 1.6 for v0 in (0.2, 0.6))


def test_waiting_is_not_the_point_moderate_selling_from_the_start_collects_most():
    sweep = monetization.selling_start_sweep()
    assert sweep["revenue"].is_monotonic_decreasing  # with moderate selling, every day waited costs cash
    assert sweep.loc[sweep["start_day"] == 0, "revenue"].item() == pytest.approx(97_027, rel=0.01)


def test_the_annual_plan_is_refused():
    with pytest.raises(ValueError, match="annual_plan"):
        monetization.run_plan(monetization.Params(annual_plan=True), SELL_FIRST)
