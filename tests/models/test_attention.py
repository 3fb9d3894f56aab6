"""Model 01, attention share: anchors from the literature and invariants.

Reference numbers come from ``shared/design/models.md`` (model 1); each anchor test
names its source.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.models import attention as m


@pytest.fixture(scope="module")
def default_run():
    return m.simulate(m.Params(), seed=0)


def test_iia_doubling_the_groups_halves_the_share():
    """McFadden (1974), conditional logit: independence of irrelevant alternatives.

    With muting off, our share is e^V / (e^Vout + e^V + K * mean e^Vc); once
    competitors dominate, doubling K from 100 to 200 multiplies it by about 0.5
    (the design prototype gave 0.513, the outside option and our own term keeping
    it a little above one half).
    """
    share_100, share_200 = m.share_vs_groups(m.Params(), [100, 200], muting=False)
    assert share_200 / share_100 == pytest.approx(0.513, abs=0.01)
    # and it approaches 1/2 as the competitors' weight grows
    far_100, far_200 = m.share_vs_groups(m.Params(), [1000, 2000], muting=False)
    assert abs(far_200 / far_100 - 0.5) < abs(share_200 / share_100 - 0.5)


def test_overload_raises_muting():
    """Jones, Ravid & Rafaeli (2004), Inf. Syst. Res. 15(2):194-210: overload ends active participation.

    Qualitative anchor: the day-364 mute rate rises with the overload pickiness omega
    (prototype: 56.5 % at omega 0, 72.8 % at 0.5, 98.2 % at 1).
    """
    muted = [m.simulate(m.Params(overload_pickiness=w)).mute_rate[-1] for w in (0.0, 0.5, 1.0)]
    assert muted == pytest.approx([0.565, 0.728, 0.982], abs=0.01)


def test_share_falls_as_groups_multiply_with_quality_unchanged():
    """Weng et al. (2012), Sci. Rep. 2:335: competition for limited attention alone lowers popularity."""
    shares = m.share_vs_groups(m.Params(), [50, 100, 200, 400])
    assert np.all(np.diff(shares) < 0)


def test_reference_trajectory(default_run):
    """Design prototype (models.md, model 1), defaults and seed 0: day 0, 90 and 364."""
    r = default_run
    assert 100 * r.read_share[[0, 90, 364]] == pytest.approx([2.16, 1.21, 0.56], abs=0.01)
    assert 100 * r.mute_rate[[0, 90, 364]] == pytest.approx([1.2, 52.8, 72.8], abs=0.1)
    assert r.reads_per_member[364] == pytest.approx(0.56, abs=0.01)
    assert r.groups[[0, 364]] == pytest.approx([50, 232])


@pytest.mark.parametrize(
    ("width", "share_pct", "muted_pct"),
    [(0.03, 0.64, 87.5), (0.10, 0.56, 72.8), (0.25, 0.23, 76.8), (0.50, 0.01, 97.2)],
)
def test_niche_width_fewer_but_deeper(width, share_pct, muted_pct):
    """Design prototype: a sharper niche is muted more yet read more on day 364."""
    r = m.simulate(m.Params(niche_width=width))
    assert 100 * r.read_share[-1] == pytest.approx(share_pct, abs=0.01)
    assert 100 * r.mute_rate[-1] == pytest.approx(muted_pct, abs=0.1)


def test_day_one_niche_and_generic_nearly_equal():
    """Design prototype: at K = 200 on day 1 the niche and the generic group get 0.77 % vs 0.74 %."""
    niche = m.share_vs_groups(m.Params(niche_width=0.10), [200])[0]
    generic = m.share_vs_groups(m.Params(niche_width=0.25), [200])[0]
    assert 100 * niche == pytest.approx(0.77, abs=0.01)
    assert 100 * generic == pytest.approx(0.74, abs=0.01)


def test_posting_more_lowers_reads():
    """Design prototype: m0 20 -> 200 cuts daily reads per member 0.56 -> 0.11."""
    reads = [m.simulate(m.Params(posts_per_day=v)).reads_per_member[-1] for v in (5, 20, 50, 100, 200)]
    assert np.all(np.diff(reads) < 0)
    assert reads[1] == pytest.approx(0.56, abs=0.01) and reads[-1] == pytest.approx(0.11, abs=0.01)


def test_no_group_inflation_keeps_share():
    """Design prototype: groups_per_day = 0 keeps the day-364 share at 1.91 % (vs 0.56 %)."""
    assert 100 * m.simulate(m.Params(groups_per_day=0)).read_share[-1] == pytest.approx(1.91, abs=0.01)


def test_binning_matches_exact_per_member_computation():
    """The 512-bin aggregation stays within 1e-6 of computing every member (design note: 9e-8)."""
    p = m.Params(members=2000, days=120)
    binned = m.simulate(p, seed=3)
    original = m.UTILITY_BINS
    try:
        m.UTILITY_BINS = 2000
        exact = m.simulate(p, seed=3)
    finally:
        m.UTILITY_BINS = original
    assert np.max(np.abs(binned.read_share - exact.read_share)) < 1e-6
    assert np.max(np.abs(binned.mute_rate - exact.mute_rate)) < 1e-5


def test_same_seed_same_result_and_seeds_differ():
    a, b, c = (
        m.simulate(m.Params(members=500), 1),
        m.simulate(m.Params(members=500), 1),
        m.simulate(m.Params(members=500), 2),
    )
    assert np.array_equal(a.read_share, b.read_share) and np.array_equal(a.mute_rate, b.mute_rate)
    assert not np.array_equal(a.read_share, c.read_share)


def _values_in_range(spec):
    if spec.integer:
        return st.integers(int(spec.lo), int(spec.hi))
    return st.floats(spec.lo, spec.hi, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_outputs_are_finite_bounded_and_consistent(data):
    specs = m.Params.specs()
    chosen = {
        name: data.draw(_values_in_range(spec), label=name)
        for name, spec in specs.items()
        if name not in ("members", "days")
    }
    params = m.Params(members=300, days=60, **chosen)
    r = m.simulate(params, seed=data.draw(st.integers(0, 2**31 - 1)))
    for series in (r.read_share, r.mute_rate, r.reads_per_member):
        assert np.all(np.isfinite(series))
    assert np.all((r.read_share >= 0) & (r.read_share <= 1))
    assert np.all((r.mute_rate >= 0) & (r.mute_rate <= 1))
    assert np.all(np.diff(r.mute_rate) >= -1e-12)  # nobody unmutes
    # our share plus what is left for competitors and the outside option never exceeds one reader's day
    assert np.all(r.reads_per_member <= params.posts_per_day + 1e-9)
    assert r.day.shape == r.read_share.shape == (60,)


def test_summary_keys_and_sweep_table():
    summary = m.simulate(m.Params(members=500, days=60)).summary()
    assert set(summary) == {"read_share_pct", "muted_pct", "reads_per_member", "share_vs_fair", "groups"}
    table = m.sweep(m.Params(members=500, days=60), "niche_width", [0.05, 0.2], runs=2)
    assert list(table.columns[:3]) == ["niche_width", "run", "seed"]
    assert len(table) == 4 and set(table["niche_width"]) == {0.05, 0.2}
    # runs reuse the same seeds for every value, so differences are the parameter's, not noise
    assert list(table.loc[table.niche_width == 0.05, "seed"]) == list(table.loc[table.niche_width == 0.2, "seed"])
    with pytest.raises(ValueError, match="outside the allowed range"):
        m.sweep(m.Params(), "niche_width", [0.1, 0.9])
