"""Tests of model 05, personal brand: filling a group through a QR code."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.models import attention, brand
from communitylab.models.brand.years import INFLUENCER as INFLUENCER_2016
from communitylab.models.brand.years import OPERATOR, REFERENCE_YEAR, YEARS

INFLUENCER = dict(followers=200_000, reach=0.05, join_rate=0.1, view_timescale_h=0.5)
PUSHER = dict(followers=500, reach=0.6, join_rate=0.2, forward_share=0.8)  # R = 1.2


def _summary(seed: int = 0, **changes) -> dict[str, float]:
    return brand.simulate(brand.Params(**changes), seed=seed).summary()


# -- anchors: the branching process (Galton-Watson with Poisson offspring) ----------------------


@pytest.mark.parametrize(
    ("reproduction_number", "alone", "mean_size"),
    [(0.3, math.exp(-0.3), 1 / 0.7), (0.8, math.exp(-0.8), 1 / 0.2)],
)
def test_galton_watson_sizes_match_the_borel_law(reproduction_number, alone, mean_size):
    """Subcritical cascades stay small: Kempe, Kleinberg & Tardos (2003) independent cascade on a tree;
    Goel, Watts & Goldstein (2012, EC '12) found most real cascades end within one step of the seed.

    A Poisson(R) Galton-Watson tree has total size 1 with probability exp(-R) and mean size 1/(1-R):
    R = 0.3 -> 0.741 and 1.43; R = 0.8 -> 0.449 and 5.00 (design note [proto]: 0.741/1.43, 0.450/5.03).
    """
    sizes = brand.galton_watson_sizes(reproduction_number, 200_000, np.random.default_rng(11))
    assert (sizes == 1).mean() == pytest.approx(alone, abs=0.005)
    # standard error of the mean is sqrt(R / (1-R)^3 / n): 0.002 at R=0.3, 0.022 at R=0.8
    assert sizes.mean() == pytest.approx(
        mean_size, abs=5 * math.sqrt(reproduction_number / (1 - reproduction_number) ** 3 / 200_000)
    )


def test_galton_watson_tail_at_r_0_8():
    """P(size >= 10) for R = 0.8 is 0.1226 from the Borel law (design note [proto]: 0.124)."""
    exact = 1 - sum(math.exp(-0.8 * n) * (0.8 * n) ** (n - 1) / math.factorial(n) for n in range(1, 10))
    sizes = brand.galton_watson_sizes(0.8, 200_000, np.random.default_rng(12))
    assert exact == pytest.approx(0.1226, abs=0.0005)
    assert (sizes >= 10).mean() == pytest.approx(exact, abs=0.004)


def test_galton_watson_supercritical_stops_at_max_size():
    sizes = brand.galton_watson_sizes(2.0, 2000, np.random.default_rng(1), max_size=500)
    assert sizes.min() >= 1
    # survival probability of Poisson(2) is 0.797: most cascades hit the cap
    assert (sizes >= 500).mean() == pytest.approx(0.797, abs=0.04)


@pytest.mark.parametrize("forward_share", [0.2, 0.8 / 1.5])
def test_model_cascade_mean_matches_branching_theory(forward_share):
    """The model's own forwarding is the same branching process: with a group that never fills,
    the mean number of join attempts is E[direct] / (1 - R) (9 / 0.7 = 12.9 and 9 / 0.2 = 45)."""
    params = brand.Params(forward_share=forward_share, forward_delay_h=0.5, runs=5000)
    result = brand.simulate(params, seed=3)
    expected = params.expected_direct / (1 - params.reproduction_number)
    assert result.approximate_runs == 0
    assert result.attempts_followed.mean() == pytest.approx(expected, rel=0.04)


# -- [proto] reference numbers of the design note (1000 runs) ------------------------------------


def test_influencer_fills_the_scan_cap_in_minutes_and_waits_hours_for_invitations():
    """[proto] F = 200k, reach 5 %, join 10 %, tau_view 0.5 h: t_200 median 0.11 h (p10-p90 0.10-0.12),
    t_500 median 2.9 h because of the invitation rule. Analytically t_200 ~ -0.5 ln(1 - 200/1000) = 0.112 h."""
    s = _summary(**INFLUENCER)
    assert s["reach_scan_cap_pct"] == 100.0
    assert s["scan_cap_median_h"] == pytest.approx(0.11, abs=0.01)
    assert 0.095 <= s["scan_cap_p10_h"] <= s["scan_cap_p90_h"] <= 0.13
    assert s["full_median_h"] == pytest.approx(2.9, abs=0.15)
    assert s["direct_scanners_mean"] == pytest.approx(1000, rel=0.01)


def test_influencer_without_the_scan_cap_fills_in_twenty_minutes():
    """[proto] the same influencer with the cap ignored (scan_cap = seats): t_500 median 0.34 h
    (analytically -0.5 ln(1 - 500/1000) = 0.347 h)."""
    s = _summary(scan_cap=500, **INFLUENCER)
    assert s["full_median_h"] == pytest.approx(0.34, abs=0.02)
    assert s["full_median_h"] == s["scan_cap_median_h"]


def test_influencer_does_not_need_forwarding_for_the_scan_cap():
    with_forwards = _summary(**INFLUENCER)
    without = _summary(**INFLUENCER, forward_share=0)
    assert without["scan_cap_median_h"] == pytest.approx(with_forwards["scan_cap_median_h"], abs=0.005)
    assert without["full_median_h"] > with_forwards["full_median_h"]  # forwards help only the invited seats


def test_ordinary_operator_never_reaches_the_scan_cap():
    """[proto] F = 300, R = 0.3: never reaches 200 (0 % of runs; about 9 direct joiners)."""
    s = _summary()
    assert s["reach_scan_cap_pct"] == 0.0
    assert s["fill_pct"] == 0.0
    assert math.isinf(s["scan_cap_median_h"])
    assert s["direct_scanners_mean"] == pytest.approx(9.0, abs=0.3)
    assert s["reproduction_number"] == pytest.approx(0.3)


def test_supercritical_forwarding_fills_the_group_for_an_ordinary_operator():
    """[proto] F = 300 with R = 1.2: 95 % fill, t_200 median 35.7 h. Branching theory: the chance that
    all Poisson(9) direct cascades die out is exp(-9 (1 - q)) with q = exp(1.2 (q - 1)) = 0.686, i.e. 6 %."""
    s = _summary(forward_share=0.8)
    assert s["reach_scan_cap_pct"] == pytest.approx(94.1, abs=3)
    assert s["scan_cap_median_h"] == pytest.approx(35.7, abs=3.0)


def test_faster_forwarding_fills_sooner():
    """[proto] R = 1.5: t_200 median 20.0 h."""
    assert _summary(forward_share=1.0)["scan_cap_median_h"] == pytest.approx(20.0, abs=1.5)


def test_an_ordinary_person_who_pushes_fills_in_half_a_day():
    """[proto] F = 500, reach 60 %, join 20 %, R = 1.2: t_200 median 9.5 h (p10 7.7, p90 11.9), t_500 27.3 h."""
    s = _summary(**PUSHER)
    assert s["scan_cap_median_h"] == pytest.approx(9.5, abs=0.6)
    assert s["scan_cap_p10_h"] == pytest.approx(7.7, abs=0.6)
    assert s["scan_cap_p90_h"] == pytest.approx(11.9, abs=0.8)
    assert s["full_median_h"] == pytest.approx(27.3, abs=1.5)


def test_scan_cap_time_falls_with_followers():
    """More followers, same habits: the scan limit comes sooner (a statement about medians over runs)."""
    medians = [
        _summary(followers=f, reach=0.05, join_rate=0.1, view_timescale_h=0.5, runs=300)["scan_cap_median_h"]
        for f in (50_000, 100_000, 400_000, 2_000_000)
    ]
    assert all(a > b for a, b in itertools.pairwise(medians))


def test_expiry_cuts_off_a_slow_cascade():
    long = _summary(**PUSHER, runs=300)
    short = _summary(**PUSHER, runs=300, qr_expiry_h=6)
    assert short["reach_scan_cap_pct"] < long["reach_scan_cap_pct"]


def test_no_invitations_means_never_full_beyond_the_cap():
    s = _summary(**INFLUENCER, invite_success=0, runs=200)
    assert s["reach_scan_cap_pct"] == 100.0
    assert s["fill_pct"] == 0.0


def test_huge_audiences_stay_bounded_and_are_flagged():
    """Ten million followers: the direct wave beyond the budget is drawn as order statistics."""
    result = brand.simulate(
        brand.Params(followers=10_000_000, reach=0.05, join_rate=0.1, view_timescale_h=0.5, runs=100), seed=1
    )
    s = result.summary()
    assert s["fill_pct"] == 100.0
    assert s["scan_cap_median_h"] < 0.01
    assert s["scan_cap_median_h"] < s["full_median_h"] < 2.9  # faster than the 200k influencer
    assert 0 <= result.approximate_runs <= 100


# -- contract ----------------------------------------------------------------------------------


def test_reproduction_number_property():
    params = brand.Params(forward_share=0.5, forward_audience=200, second_reach=0.2, second_join=0.05)
    assert params.reproduction_number == pytest.approx(0.5 * 200 * 0.2 * 0.05)


def test_fill_curves_are_cumulative_shares():
    result = brand.simulate(brand.Params(**PUSHER, runs=200), seed=4)
    for curve in result.series().values():
        assert curve.shape == result.hours.shape
        assert np.all(np.diff(curve) >= 0)
        assert curve[0] >= 0 and curve[-1] <= 1
    assert result.scan_cap_probability[-1] == pytest.approx(np.isfinite(result.hours_to_scan_cap).mean())
    assert np.all(result.full_probability <= result.scan_cap_probability)


@pytest.mark.parametrize(
    ("field", "value"),
    [("reach", 1.5), ("followers", 0), ("scan_cap", 501), ("runs", 10), ("invite_delay_h", -1), ("seats", 2.5)],
)
def test_invalid_parameters_name_field_value_and_range(field, value):
    with pytest.raises(ValueError) as error:
        brand.Params(**{field: value})
    message = str(error.value)
    assert f"brand.{field}" in message
    assert repr(value) in message
    if field != "seats":
        spec = brand.Params.specs()[field]
        assert f"[{spec.lo:g}, {spec.hi:g}]" in message


def test_sweep_returns_one_row_per_value_and_run():
    table = brand.sweep(brand.Params(runs=50), "forward_share", [0.2, 0.8], runs=2)
    assert len(table) == 4
    assert {"forward_share", "run", "scan_cap_median_h", "fill_pct"} <= set(table.columns)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    followers=st.integers(1, 300_000),
    reach=st.floats(0, 1),
    join_rate=st.floats(0, 0.3),
    view=st.floats(0.05, 72),
    forward_share=st.floats(0, 1),
    forward_audience=st.floats(1, 400),
    forward_delay=st.floats(0.1, 72),
    scan_cap=st.integers(1, 500),
    seats=st.integers(1, 500),
    invite=st.floats(0, 1),
    invite_delay=st.floats(0, 48),
    expiry=st.floats(1, 168),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_valid_launch_gives_sane_reproducible_times(
    followers,
    reach,
    join_rate,
    view,
    forward_share,
    forward_audience,
    forward_delay,
    scan_cap,
    seats,
    invite,
    invite_delay,
    expiry,
    seed,
):
    params = brand.Params(
        followers=followers,
        reach=reach,
        join_rate=join_rate,
        view_timescale_h=view,
        forward_share=forward_share,
        forward_audience=forward_audience,
        second_reach=0.1,
        second_join=0.1,
        forward_delay_h=forward_delay,
        scan_cap=scan_cap,
        seats=seats,
        invite_success=invite,
        invite_delay_h=invite_delay,
        qr_expiry_h=expiry,
        runs=50,
    )
    result = brand.simulate(params, seed)
    for times in (result.hours_to_scan_cap, result.hours_to_full):
        assert times.shape == (50,)
        assert not np.isnan(times).any()
        assert (times >= 0).all()
    assert (result.hours_to_full >= result.hours_to_scan_cap).all()
    assert (result.hours_to_scan_cap[np.isfinite(result.hours_to_scan_cap)] <= expiry).all()
    summary = result.summary()
    assert not any(math.isnan(v) for v in summary.values())
    assert all(v >= 0 for v in summary.values())
    again = brand.simulate(params, seed)
    np.testing.assert_array_equal(again.hours_to_full, result.hours_to_full)
    np.testing.assert_array_equal(again.hours_to_scan_cap, result.hours_to_scan_cap)


def test_explosive_forwarding_stays_bounded_and_is_flagged():
    """R = 5000 (every scan brings thousands): the per-run budget caps the work; capped runs are flagged."""
    params = brand.Params(forward_share=1, forward_audience=5000, second_reach=1, second_join=1, runs=50)
    result = brand.simulate(params, seed=2)
    assert params.reproduction_number == 5000
    assert result.summary()["reach_scan_cap_pct"] == 100.0
    assert result.approximate_runs > 0
    per_run = max(2 * params.seats, brand.FORWARD_BUDGET // params.runs)
    limit = result.direct_scanners + (brand.TOTAL_BUDGET_GENERATIONS + 1) * per_run
    assert (result.attempts_followed <= limit).all()


# -- the anecdote across the years: the same code, more competition for attention (brand.years) ----

YEAR_RUNS = 1000


@pytest.fixture(scope="module")
def table():
    return brand.fill_time_by_year(runs=YEAR_RUNS, seed=0)


def _median_interval(times: np.ndarray, z: float = 2.58) -> tuple[float, float]:
    """Distribution-free 99 % confidence interval of a median: order statistics n/2 -+ z sqrt(n)/2."""
    ordered = np.sort(times)
    n = ordered.size
    half = z * math.sqrt(n) / 2
    return float(ordered[max(0, math.floor(n / 2 - half))]), float(ordered[min(n - 1, math.ceil(n / 2 + half))])


def test_competing_groups_follow_the_attention_model():
    defaults = attention.Params()
    groups = brand.competing_groups(YEARS)
    assert groups[0] == defaults.groups_start
    assert np.allclose(np.diff(groups), defaults.groups_per_day * 365)
    with pytest.raises(ValueError, match="2013 or later"):
        brand.competing_groups([2010])


def test_the_reference_year_is_the_launch_itself():
    assert brand.launch_in_year(OPERATOR, REFERENCE_YEAR) == OPERATOR
    early = brand.launch_in_year(OPERATOR, 2013)
    crowding = (1 + 50) / (1 + 50 + 3 * 182.5)
    assert early.reach == pytest.approx(OPERATOR.reach / crowding)
    assert early.view_timescale_h == pytest.approx(OPERATOR.view_timescale_h * crowding)
    # forwarding is held at the reference year's values
    assert early.reproduction_number == OPERATOR.reproduction_number


def test_a_share_above_one_is_refused():
    with pytest.raises(ValueError, match="reach"):
        brand.launch_in_year(OPERATOR.replace(reach=0.5), 2013)


def test_fill_time_rises_with_competition_beyond_seed_noise():
    """Each year's median time to the scan limit lies above the previous one's, with 99 % intervals apart."""
    previous_high = -math.inf
    medians = []
    for year in YEARS:
        launch = brand.launch_in_year(OPERATOR.replace(runs=YEAR_RUNS), year)
        times = brand.simulate(launch, seed=year).hours_to_scan_cap  # independent seeds: a fair comparison
        low, high = _median_interval(times)
        assert low > previous_high, year
        previous_high = high
        medians.append(float(np.median(times)))
    assert medians == sorted(medians)


def test_the_anecdote_under_a_minute_then_over_half_a_day(table):
    operator = table[table["who"] == "operator"].set_index("year")
    # the article: "under a minute" in the past, "half a day is not enough" now (青木老贼 2016, part 3)
    assert operator.loc[2013, "scan_cap_median_h"] < 1 / 60
    assert operator.loc[2016, "scan_cap_median_h"] > 12
    # reference run: 58 s, 27 min, 2.2 h, 15 h; in 2016 only about 6 runs in 10 reach the limit within the week
    expected = {2013: 0.0160, 2014: 0.443, 2015: 2.21, 2016: 15.2}
    for year, hours in expected.items():
        assert operator.loc[year, "scan_cap_median_h"] == pytest.approx(hours, rel=0.05), year
    assert 55 < operator.loc[2016, "reach_scan_cap_pct"] < 67
    assert operator["direct_scanners_mean"].is_monotonic_decreasing


def test_the_influencer_fills_in_minutes(table):
    influencer = table[table["who"] == "influencer"]
    assert influencer["year"].tolist() == [REFERENCE_YEAR]
    row = influencer.iloc[0]
    assert row["scan_cap_median_h"] < 0.15  # about 7 minutes
    assert row["scan_cap_p90_h"] < 0.25
    operator_now = table[(table["who"] == "operator") & (table["year"] == REFERENCE_YEAR)].iloc[0]
    assert operator_now["scan_cap_median_h"] > 50 * row["scan_cap_median_h"]
    assert INFLUENCER_2016.expected_direct == pytest.approx(1000)
