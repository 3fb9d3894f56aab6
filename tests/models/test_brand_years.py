"""Tests of module 05's anecdote: the same QR code fills more slowly as competition for attention rises."""

from __future__ import annotations

import math

import numpy as np
import pytest

from communitylab.models import attention, brand
from communitylab.models.brand.years import INFLUENCER, OPERATOR, REFERENCE_YEAR, YEARS

RUNS = 1000


@pytest.fixture(scope="module")
def table():
    return brand.fill_time_by_year(runs=RUNS, seed=0)


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
        launch = brand.launch_in_year(OPERATOR.replace(runs=RUNS), year)
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
    assert INFLUENCER.expected_direct == pytest.approx(1000)
