"""Model 2 (closed-loop service): Bass anchor, the design note's reference figures, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.i18n import catalog
from communitylab.models import service_loop as m

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def last(result: m.Result, name: str) -> float:
    return float(getattr(result, name)[-1])


@pytest.fixture(scope="module")
def default_run() -> m.Result:
    return m.simulate(m.Params())


@pytest.fixture(scope="module")
def open_run() -> m.Result:
    return m.simulate(m.Params(loop_closure=0.0))


# -- anchor: Bass (1969) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def bass_run() -> m.Result:
    """The model reduced to Bass: no founding members, no referral, no churn, instant onboarding, 30 years."""
    params = m.Params(
        founding_members=0,
        referral_pull=0.0,
        onboarding_rate=1.0,
        follow_up_share=1.0,
        early_churn=0.0,
        active_churn=0.0,
        loyal_churn=0.0,
    )
    return m.simulate_many(params, days=30 * 365)[0]


def test_bass_closed_forms_match_the_published_averages():
    """Bass, F. M. (1969) "A new product growth for model consumer durables", Management Science
    15(5):215-227: peak adoption at t* = ln(q/p)/(p+q), F(t*) = 1/2 - p/(2q). With the average
    coefficients p = 0.03, q = 0.38 of Sultan, Farley & Lehmann (1990) J. Marketing Research
    27(1):70-77 (as widely quoted; not re-checked against the paper's table) the design note gives
    t* = 6.19 yr, F(1 yr) = 0.0358, F(t*) = 0.461."""
    peak_year, share_at_peak = m.bass_peak(0.03, 0.38)
    assert peak_year == pytest.approx(6.19, abs=0.005)
    assert share_at_peak == pytest.approx(0.461, abs=0.0005)
    assert float(m.bass_adoption(0.03, 0.38, 1.0)) == pytest.approx(0.0358, abs=0.00005)
    assert float(m.bass_adoption(0.03, 0.38, peak_year)) == pytest.approx(share_at_peak, abs=1e-12)


def test_simulation_reproduces_bass_peak_year(bass_run):
    """Bass (1969), Management Science 15(5):215-227; p, q from Sultan, Farley & Lehmann (1990).
    The daily simulation's fastest-joining day falls at the analytic peak ln(q/p)/(p+q) = 6.19 yr
    (design note [proto]: 6.19)."""
    joins = np.diff(bass_run.joined, prepend=0.0)
    peak_year = (np.argmax(joins) + 0.5) / 365  # a day's joins happen during that day
    assert peak_year == pytest.approx(m.bass_peak(0.03, 0.38)[0], abs=0.01)
    assert peak_year == pytest.approx(6.19, abs=0.01)


def test_simulation_reproduces_bass_first_year_and_peak_share(bass_run):
    """Bass (1969) with Sultan, Farley & Lehmann (1990) averages: F(1 yr) = 0.0358 analytic
    (design note [proto] 0.0357, the daily Euler step), F at the peak = 0.461."""
    market = bass_run.params.market_size
    adopted = bass_run.joined / market
    assert adopted[364] == pytest.approx(0.0358, abs=0.0003)
    assert adopted[364] == pytest.approx(0.0357, abs=0.0001)
    joins = np.diff(bass_run.joined, prepend=0.0)
    assert adopted[np.argmax(joins)] == pytest.approx(0.461, abs=0.002)


def test_simulation_follows_the_bass_curve_for_thirty_years(bass_run):
    """Bass (1969): the whole daily trajectory stays within half a percentage point of the closed form."""
    years = (np.arange(bass_run.day.size) + 1) / 365
    analytic = m.bass_adoption(0.03, 0.38, years)
    simulated = bass_run.joined / bass_run.params.market_size
    assert np.max(np.abs(simulated - analytic)) < 0.005
    assert simulated[-1] > 0.99  # thirty years saturate the market


def test_bass_helpers_edge_cases():
    assert np.all(m.bass_adoption(0.0, 0.38, [0.0, 5.0, 50.0]) == 0.0)
    assert float(m.bass_adoption(0.03, 0.38, 0.0)) == 0.0
    assert m.bass_peak(0.3, 0.1) == (0.0, 0.0)
    with pytest.raises(ValueError, match=r"p = -0\.1"):
        m.bass_adoption(-0.1, 0.38, 1.0)


# -- the design note's [proto] reference numbers (regression) ---------------------------------


def test_closed_loop_versus_open_loop_after_one_year(default_run, open_run):
    """Design note [proto], day 365 open vs closed: members 115 vs 179, loyal 69 vs 127,
    satisfaction 0.40 vs 0.70, loyal share 0.60 vs 0.71."""
    assert open_run.summary()["members"] == pytest.approx(115, abs=1)
    assert default_run.summary()["members"] == pytest.approx(179, abs=1)
    assert last(open_run, "loyal") == pytest.approx(69, abs=1)
    assert last(default_run, "loyal") == pytest.approx(127, abs=1)
    assert open_run.summary()["satisfaction"] == pytest.approx(0.40, abs=0.005)
    assert default_run.summary()["satisfaction"] == pytest.approx(0.70, abs=0.005)
    assert open_run.summary()["loyal_share_pct"] == pytest.approx(60, abs=1)
    assert default_run.summary()["loyal_share_pct"] == pytest.approx(71, abs=1)


def test_closed_loop_nearly_doubles_three_year_size():
    """Design note [proto]: after 3 years 182 (open) vs 342 (closed) members, same acquisition."""
    runs = m.simulate_many(m.Params(days=3 * 365), "loop_closure", [0.0, 1.0])
    open_members, closed_members = runs.summary()["members"]
    assert open_members == pytest.approx(182, abs=1.5)
    assert closed_members == pytest.approx(342, abs=1.5)
    assert 1.7 < closed_members / open_members < 2.0


def test_follow_up_share_sets_first_year_size():
    """Design note [proto]: follow-up 0 / 0.5 / 1 give day-365 members 90 / 179 / 264;
    churn with no follow-up 292 vs 237 at the default."""
    runs = m.simulate_many(m.Params(), "follow_up_share", [0.0, 0.5, 1.0])
    members = runs.summary()["members"]
    np.testing.assert_allclose(members, [90, 179, 264], atol=1.0)
    churned = runs.summary()["churned"]
    np.testing.assert_allclose(churned[:2], [292, 237], atol=1.0)


def test_capacity_beyond_the_issue_load_changes_nothing():
    """Design note [proto]: capacity 5 vs 100 gives the same 179 members; capacity 2 creates
    a backlog and 168 members."""
    runs = m.simulate_many(m.Params(), "answer_capacity", [2.0, 5.0, 20.0, 100.0])
    members = runs.summary()["members"]
    assert members[0] == pytest.approx(168, abs=1)
    assert members[1] == members[2] == members[3]
    assert members[1] == pytest.approx(179, abs=1)
    assert runs.summary()["backlog_pct"][0] > 0
    assert runs.summary()["backlog_pct"][1] == 0


def test_closure_sweep_of_64_scenarios_in_one_call():
    """Design note "Things to try": sweep closure 0 -> 1 as 64 scenarios at once. At the defaults
    (ample capacity) more closure gives more members and higher satisfaction, from 115 to 179."""
    closure = np.linspace(0, 1, 64)
    runs = m.simulate_many(m.Params(), "loop_closure", closure)
    assert runs.members.shape == (64, 365)
    members = runs.summary()["members"]
    assert np.all(np.diff(members) > 0)
    assert members[0] == pytest.approx(115, abs=1) and members[-1] == pytest.approx(179, abs=1)
    assert np.all(np.diff(runs.summary()["satisfaction"]) > 0)


def test_a_scenario_gives_the_same_numbers_alone_or_in_a_batch():
    params = m.Params(loop_closure=0.37, answer_capacity=3.0)
    batch = m.simulate_many([m.Params(), params, m.Params(loop_closure=0.0)])
    alone = m.simulate(params)
    for name in ("prospects", "new", "active", "loyal", "churned", "satisfaction", "answered", "joined"):
        np.testing.assert_allclose(getattr(batch[1], name), getattr(alone, name), rtol=1e-12, atol=1e-12)
    assert batch[1].summary() == pytest.approx(alone.summary(), rel=1e-12)


# -- invariants (hypothesis) ----------------------------------------------------------------


@st.composite
def valid_params(draw, max_days: int = 400) -> m.Params:
    """Any parameter set a trainee can reach (days capped to keep the test quick)."""
    values = {}
    for name, spec in m.Params.specs().items():
        if name in ("founding_members", "days"):
            continue
        if spec.integer:
            values[name] = draw(st.integers(int(spec.lo), int(spec.hi)))
        else:
            values[name] = draw(st.floats(spec.lo, spec.hi, allow_nan=False))
    values["founding_members"] = draw(st.integers(0, values["market_size"]))
    values["days"] = draw(st.integers(30, max_days))
    return m.Params(**values)


STOCKS = ("prospects", "new", "active", "loyal", "churned")


@PROPERTY_SETTINGS
@given(valid_params())
def test_members_are_conserved_and_nothing_goes_negative(params):
    result = m.simulate(params)
    total = sum(getattr(result, name) for name in STOCKS)
    np.testing.assert_allclose(total, params.market_size, rtol=1e-9)
    for name in (*STOCKS, "satisfaction", "answered", "joined"):
        values = getattr(result, name)
        assert values.shape == (params.days,)
        assert np.all(np.isfinite(values)), name
        assert values.min() >= -1e-9 * params.market_size, name
    assert result.satisfaction.max() <= 1.0 + 1e-12
    assert result.answered.max() <= 1.0 + 1e-12
    assert all(math.isfinite(value) for value in result.summary().values())


@PROPERTY_SETTINGS
@given(valid_params(), st.integers(0, 2**32 - 1))
def test_same_seed_same_result(params, seed):
    first, second = m.simulate(params, seed), m.simulate(params, seed)
    for name in (*STOCKS, "satisfaction", "answered", "joined"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))


@PROPERTY_SETTINGS
@given(valid_params(), st.floats(1.0, 10.0))
def test_capacity_above_the_largest_possible_load_changes_nothing(params, factor):
    """answered = min(1, capacity / (issue_rate * members)) and members <= market_size, so any
    capacity at or above issue_rate * market_size answers everything."""
    # keep the largest possible load within the capacity slider's reach (1000 issues/day)
    params = params.replace(issue_rate=min(params.issue_rate, 1000 / params.market_size))
    ceiling = min(1000.0, params.issue_rate * params.market_size)  # min: float rounding
    low = m.simulate(params.replace(answer_capacity=ceiling))
    high = m.simulate(params.replace(answer_capacity=min(1000.0, ceiling * factor)))
    np.testing.assert_allclose(low.active, high.active, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(low.answered, 1.0, rtol=1e-9)


@PROPERTY_SETTINGS
@given(valid_params())
def test_open_loop_keeps_satisfaction_at_its_base(params):
    """With closure 0 the target Sat* equals S0 every day, and Sat starts at S0."""
    result = m.simulate(params.replace(loop_closure=0.0))
    np.testing.assert_allclose(result.satisfaction, params.base_satisfaction, atol=1e-12)


def test_founding_members_cannot_exceed_the_market():
    with pytest.raises(ValueError, match=r"founding_members = 600 .*\[0, 500\]"):
        m.Params(market_size=500, founding_members=600)


def test_simulate_many_rejects_unclear_requests():
    with pytest.raises(ValueError, match="both field and values"):
        m.simulate_many(m.Params(), "loop_closure")
    with pytest.raises(ValueError, match="no parameter 'closure'"):
        m.simulate_many(m.Params(), "closure", [0, 1])
    with pytest.raises(ValueError, match=r"loop_closure = 1.5"):
        m.simulate_many(m.Params(), "loop_closure", [0.5, 1.5])
    with pytest.raises(ValueError, match="different days"):
        m.simulate_many([m.Params(), m.Params(days=100)])
    with pytest.raises(ValueError, match=r"days = 20000"):
        m.simulate_many(m.Params(), days=20000)
    with pytest.raises(ValueError, match="no scenarios"):
        m.simulate_many([])


def test_sweep_returns_one_row_per_value():
    table = m.sweep(m.Params(), "loop_closure", [0.0, 0.5, 1.0])
    assert list(table["loop_closure"]) == [0.0, 0.5, 1.0]
    assert {"members", "loyal_share_pct", "churned", "backlog_pct", "satisfaction", "joined"} <= set(table.columns)
    assert table["members"].is_monotonic_increasing


# -- catalogs -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_catalog_key_exists(lang, default_run):
    messages = catalog(lang)
    prefix = m.Params.model
    keys = [f"{prefix}.title"]
    keys += [m.Params.label_key(name) for name in m.Params.specs()]
    keys += [m.Params.help_key(name) for name in m.Params.specs()]
    keys += [f"{prefix}.group.{spec.group}" for spec in m.Params.specs().values()]
    keys += [f"{prefix}.monitor.{key}" for key in default_run.summary()]
    keys += [
        f"{prefix}.info.{part}"
        for part in ("what", "how_works", "how_use", "notice", "try", "extend", "related", "credits")
    ]
    missing = [key for key in keys if not messages.get(key, "").strip()]
    assert not missing


def test_info_credits_cite_the_sources_and_label_assumptions():
    for lang in ("en", "zh_CN"):
        credits = catalog(lang)["service_loop.info.credits"]
        assert "Bass" in credits and "1969" in credits
        assert "Sultan" in credits and "1990" in credits
        assert "assumption" in credits.lower() or "假设" in credits
