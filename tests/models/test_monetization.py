"""Model 4 (monetization): Kumar's conversion band, the design note's reference figures, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.i18n import catalog
from communitylab.models import monetization
from communitylab.models import monetization as m
from communitylab.models.monetization import SELL_FIRST, VALUE_FIRST, Plan

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def defaults() -> dict[str, float]:
    return m.simulate(m.Params()).summary()


# -- anchor: Kumar (2014) ---------------------------------------------------------------------


def test_default_conversion_sits_in_kumars_freemium_band(defaults):
    """Kumar, V. (2014) "Making 'freemium' work", Harvard Business Review 92(5): most freemium
    companies convert 2-5 % of users to paying. The defaults convert 2.36 % of all free members
    seen in the year (design note [proto] 2.36 %)."""
    assert 2.0 <= defaults["conversion_pct"] <= 5.0
    assert defaults["conversion_pct"] == pytest.approx(2.36, abs=0.01)


# -- the design note's [proto] reference numbers (regression) ---------------------------------


def test_default_unit_economics(defaults):
    """Design note [proto] at ¥30/month, selling 0.3: monthly paid churn 6.8 % (an [assumption]
    curve), LTV ¥353, CAC per paying member ¥85, LTV/CAC 4.2 (above the practitioner heuristic
    of 3), year revenue ¥52,985."""
    assert defaults["paid_churn_pct"] == pytest.approx(6.8, abs=1e-9)
    assert defaults["ltv"] == pytest.approx(30 * 0.8 / 0.068)
    assert round(defaults["ltv"]) == 353
    assert defaults["cac_paid"] == pytest.approx(85, abs=0.5)
    assert defaults["ltv_cac"] == pytest.approx(4.2, abs=0.05)
    assert defaults["revenue"] == pytest.approx(52_985, rel=0.002)
    assert defaults["first_year_cash"] == defaults["revenue"]


def test_revenue_is_an_inverted_u_in_selling_intensity():
    """Design note [proto]: revenue at selling 0 / 0.1 / 0.4 / 1.0 / 1.5 is 0 / 27,593 / 55,456 (max)
    / 30,645 / 15,273; the peak comes early, near 0.4."""
    grid = m.revenue_grid(m.Params(), [30.0], [0.0, 0.1, 0.4, 1.0, 1.5])
    np.testing.assert_allclose(grid.revenue[0], [0, 27_593, 55_456, 30_645, 15_273], rtol=0.002, atol=1)
    fine = m.revenue_grid(m.Params(), [30.0], np.linspace(0, 2, 201))
    best = fine.selling[np.argmax(fine.revenue[0])]
    assert 0.35 <= best <= 0.45
    rising, falling = np.diff(fine.revenue[0][fine.selling <= best]), np.diff(fine.revenue[0][fine.selling >= best])
    assert np.all(rising > 0) and np.all(falling < 0)


def test_price_trades_conversion_against_lifetime_value():
    """Design note [proto], price ¥10 / 20 / 30 / 50: conversion 5.21 / 3.45 / 2.36 / 1.24 %,
    LTV/CAC 5.3 / 5.0 / 4.2 / 2.8, revenue 43,884 / 54,259 / 52,985 / 42,795; LTV/CAC falls below
    the heuristic 3 at ¥50."""
    rows = m.sweep(m.Params(), "price", [10.0, 20.0, 30.0, 50.0])
    np.testing.assert_allclose(rows["conversion_pct"], [5.21, 3.45, 2.36, 1.24], atol=0.01)
    np.testing.assert_allclose(rows["ltv_cac"], [5.3, 5.0, 4.2, 2.8], atol=0.05)
    np.testing.assert_allclose(rows["revenue"], [43_884, 54_259, 52_985, 42_795], rtol=0.002)
    assert rows["ltv_cac"].iloc[-1] < 3 < rows["ltv_cac"].iloc[-2]
    assert rows["ltv"].is_monotonic_increasing


def test_annual_fee_brings_three_quarters_more_first_year_cash(defaults):
    """Design note [proto], annual fee ¥99 / 199 / 299 / 365 / 599: year-1 cash 69,499 / 90,941 /
    92,526 / 89,393 / 71,917 and conversion 5.14 / 3.35 / 2.27 / 1.79 / 0.88 %; ¥299 a year brings
    ~75 % more year-1 cash than ¥30/month (in-year churn is deferred to the renewal)."""
    rows = m.sweep(m.Params(annual_plan=True), "annual_price", [99.0, 199.0, 299.0, 365.0, 599.0])
    np.testing.assert_allclose(rows["first_year_cash"], [69_499, 90_941, 92_526, 89_393, 71_917], rtol=0.002)
    np.testing.assert_allclose(rows["conversion_pct"], [5.14, 3.35, 2.27, 1.79, 0.88], atol=0.01)
    gain = rows["first_year_cash"].iloc[2] / defaults["first_year_cash"] - 1
    assert gain == pytest.approx(0.75, abs=0.03)


def test_annual_plan_defers_churn_to_the_renewal():
    """No paying member leaves inside the first year; at the renewal (1 - m)**12 of them pay again."""
    params = m.Params(annual_plan=True, days=730)
    result = m.simulate(params)
    first_year = result.paid[:365]
    assert np.all(np.diff(first_year) >= 0)
    assert result.paid_left[364] == 0
    keep = (1 - float(m.monthly_paid_churn(params))) ** 12
    renewals = result.revenue[365] / params.annual_price - result.new_paying[365]
    assert renewals == pytest.approx(keep * result.new_paying[0], rel=1e-9)
    assert result.paid_left[-1] > 0
    assert result.summary()["first_year_cash"] < result.summary()["revenue"]


def test_no_selling_no_conversion():
    """Awareness 1 - exp(-s/s0) is zero without selling: nobody pays, CAC per payer is unbounded."""
    summary = m.simulate(m.Params(selling_intensity=0.0)).summary()
    assert summary["conversion_pct"] == 0 and summary["revenue"] == 0
    assert summary["cac_paid"] == math.inf and summary["ltv_cac"] == 0


def test_trial_delays_the_first_payment():
    result = m.simulate(m.Params(trial_days=30))
    assert np.all(result.new_paying[:30] == 0) and result.new_paying[30] > 0


# -- the grid --------------------------------------------------------------------------------


@pytest.mark.parametrize("annual", [False, True])
def test_grid_cells_equal_single_runs(annual):
    params = m.Params(annual_plan=annual, days=500, trial_days=3)
    prices = [99.0, 299.0, 800.0] if annual else [9.0, 30.0, 120.0]
    selling = [0.0, 0.25, 1.2]
    grid = m.revenue_grid(params, prices, selling)
    assert grid.revenue.shape == grid.ltv_cac.shape == grid.conversion_pct.shape == (3, 3)
    field = "annual_price" if annual else "price"
    for i, price in enumerate(prices):
        for j, intensity in enumerate(selling):
            single = m.simulate(params.replace(**{field: price, "selling_intensity": intensity})).summary()
            assert grid.revenue[i, j] == pytest.approx(single["revenue"], rel=1e-9, abs=1e-9)
            assert grid.conversion_pct[i, j] == pytest.approx(single["conversion_pct"], rel=1e-9, abs=1e-12)
            assert grid.ltv_cac[i, j] == pytest.approx(single["ltv_cac"], rel=1e-9)
            assert grid.paid_members[i, j] == pytest.approx(single["paid_members"], rel=1e-9, abs=1e-9)


def test_grid_48_by_48_finds_the_best_cell():
    grid = m.revenue_grid(m.Params(), np.linspace(5, 100, 48), np.linspace(0, 2, 48))
    price, intensity = grid.best()
    assert grid.revenue.shape == (48, 48)
    assert grid.revenue.max() == grid.revenue[list(grid.prices).index(price), list(grid.selling).index(intensity)]
    assert 0.3 <= intensity <= 0.5


def test_grid_rejects_values_outside_the_sliders():
    with pytest.raises(ValueError, match=r"price = 0\.5 .*\[1, 5000\]"):
        m.revenue_grid(m.Params(), [0.5, 30.0], [0.3])
    with pytest.raises(ValueError, match=r"selling_intensity = 2\.5"):
        m.revenue_grid(m.Params(), [30.0], [2.5])
    with pytest.raises(ValueError, match=r"annual_price = 30000"):
        m.revenue_grid(m.Params(annual_plan=True), [30_000.0], [0.3])


# -- invariants (hypothesis) ----------------------------------------------------------------


@st.composite
def valid_params(draw, max_days: int = 800) -> m.Params:
    """Any parameter set a trainee can reach (days capped to keep the test quick)."""
    values = {}
    for name, spec in m.Params.specs().items():
        if spec.boolean:
            values[name] = draw(st.booleans())
        elif name == "days":
            values[name] = draw(st.integers(30, max_days))
        elif spec.integer:
            values[name] = draw(st.integers(int(spec.lo), int(spec.hi)))
        else:
            values[name] = draw(st.floats(spec.lo, spec.hi, allow_nan=False))
    return m.Params(**values)


SERIES = ("free", "paid", "new_paying", "revenue", "cumulative_revenue", "free_left", "paid_left")


@PROPERTY_SETTINGS
@given(valid_params())
def test_members_are_conserved_and_nothing_goes_negative(params):
    result = m.simulate(params)
    arrived = params.free_members + params.daily_inflow * (result.day + 1)
    accounted = result.free + result.paid + result.free_left + result.paid_left
    np.testing.assert_allclose(accounted, arrived, rtol=1e-9)
    for name in SERIES:
        values = getattr(result, name)
        assert values.shape == (params.days,)
        assert np.all(np.isfinite(values)), name
        assert values.min() >= -1e-9 * arrived[-1] * max(1.0, params.plan_price), name
    assert np.all(np.diff(result.cumulative_revenue) >= 0)
    summary = result.summary()
    assert not any(math.isnan(value) for value in summary.values())
    assert 0 <= summary["conversion_pct"] <= 100


@PROPERTY_SETTINGS
@given(valid_params(max_days=200), st.integers(0, 2**32 - 1))
def test_same_seed_same_result(params, seed):
    first, second = m.simulate(params, seed), m.simulate(params, seed)
    for name in SERIES:
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


@PROPERTY_SETTINGS
@given(valid_params(max_days=200), st.floats(1, 5000), st.floats(1, 5000))
def test_a_higher_price_never_converts_more(params, price_a, price_b):
    """Conversions are proportional to the eligible share e(P), which falls with the price;
    nothing else in the conversion flow depends on the price."""
    low, high = sorted((price_a, price_b))
    params = params.replace(annual_plan=False)
    cheap = m.simulate(params.replace(price=low)).summary()
    dear = m.simulate(params.replace(price=high)).summary()
    assert dear["conversion_pct"] <= cheap["conversion_pct"] * (1 + 1e-12) + 1e-12
    assert dear["paid_churn_pct"] >= cheap["paid_churn_pct"] * (1 - 1e-12)


def test_annual_plan_flag_rejects_non_boolean():
    with pytest.raises(ValueError, match="annual_plan = 'yes'"):
        m.Params(annual_plan="yes")


def test_eligible_share_and_churn_curve_helpers():
    params = m.Params()
    assert float(m.eligible_share(params, 20.0)) == pytest.approx(0.5)  # the median WTP
    np.testing.assert_allclose(m.eligible_share(params, [10.0, 20.0, 40.0]), [0.7559, 0.5, 0.2441], atol=1e-4)
    annual = m.Params(annual_plan=True, commitment_discount=0.8)
    assert float(m.eligible_share(annual, 12 * 0.8 * 20.0)) == pytest.approx(0.5)
    assert float(m.monthly_paid_churn(params, 120.0)) == pytest.approx(0.136)
    assert float(m.monthly_paid_churn(m.Params(paid_churn_at_reference=0.5, reference_price=1), 5000.0)) == 1.0


# -- catalogs -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_catalog_key_exists(lang, defaults):
    messages = catalog(lang)
    prefix = m.Params.model
    keys = [f"{prefix}.title"]
    keys += [m.Params.label_key(name) for name in m.Params.specs()]
    keys += [m.Params.help_key(name) for name in m.Params.specs()]
    keys += [f"{prefix}.group.{spec.group}" for spec in m.Params.specs().values()]
    keys += [f"{prefix}.monitor.{key}" for key in defaults]
    keys += [
        f"{prefix}.info.{part}"
        for part in ("what", "how_works", "how_use", "notice", "try", "extend", "related", "credits")
    ]
    missing = [key for key in keys if not messages.get(key, "").strip()]
    assert not missing


def test_info_credits_cite_sources_and_label_heuristics():
    for lang in ("en", "zh_CN"):
        credits = catalog(lang)["monetization.info.credits"]
        assert "Kumar" in credits and "2014" in credits
        assert "assumption" in credits.lower() or "假设" in credits
        assert "heuristic" in credits.lower() or "经验法则" in credits
        assert "illustrative" in credits.lower() or "示意" in credits


# -- "monetization is a result": selling plans against a community whose value grows (plans.py) -------

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
