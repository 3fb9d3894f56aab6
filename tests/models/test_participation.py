"""Model 3 (participation and the death spiral): anchors, reference behaviours, properties.

Figures marked [proto] come from the design note (``design/models.md``, Model 3), which
recorded them from a throw-away prototype; this kernel draws members in the same order
and reproduces them.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylab.i18n import catalog
from communitylab.models import participation as m

BASELINE = m.Params()
SEEDS = range(5)

#: Dynamics switched off: no novelty decay (floor 1), no activity feedback, every
#: threshold 0 (everyone always engaged) and nobody leaves. Each member then posts
#: Poisson(rate * days): heterogeneity alone.
HETEROGENEITY_ONLY = m.Params(
    members=10_000,
    median_post_rate=1e-4,
    novelty_floor=1.0,
    activity_feedback=0.0,
    threshold_median=0.0,
    leave_rate=0.0,
)


def _shares_pct(params: m.Params, seeds) -> np.ndarray:
    """Mean over seeds of (top 1 %, next 9 %, bottom 90 %, ever posted), all in %."""
    rows = []
    for seed in seeds:
        summary = m.simulate(params, seed).summary()
        rows.append(
            [summary["top1_share"], summary["next9_share"], summary["bottom90_share"], summary["ever_posted_pct"] / 100]
        )
    return 100 * np.asarray(rows).mean(axis=0)


def _quiet_days(params: m.Params, seeds=SEEDS) -> list[int | None]:
    return [m.simulate(params, seed).quiet_day for seed in seeds]


# -- (a) participation inequality --------------------------------------------------------


def test_heterogeneity_only_switches_off_every_dynamic():
    """The heterogeneity-only settings leave a constant group: same posts every day, all engaged."""
    result = m.simulate(HETEROGENEITY_ONLY.replace(members=1000), seed=3)
    np.testing.assert_allclose(result.posts_per_day, result.member_rate.sum(), rtol=1e-12)
    np.testing.assert_array_equal(result.engaged, 1000)
    np.testing.assert_array_equal(result.present, 1000)


def test_heterogeneity_only_reproduces_the_prototype_shares():
    """[proto] design note, Model 3: sigma 3.2, median 1e-4/day, 365 days, 10,000 members, seeds 0-4
    -> 74.5 / 22.2 / 3.2 % of content and 21.5 % posted at least once.

    The prototype's figures came from the same draws, so only the final Poisson draw and
    rounding separate us: 0.5 percentage points.
    """
    top, middle, bottom, posted = _shares_pct(HETEROGENEITY_ONLY, SEEDS)
    assert top == pytest.approx(74.5, abs=0.5)
    assert middle == pytest.approx(22.2, abs=0.5)
    assert bottom == pytest.approx(3.2, abs=0.5)
    assert posted == pytest.approx(21.5, abs=0.5)


def test_heterogeneity_only_matches_van_mierlo_1_percent_rule():
    """van Mierlo, T. (2014) "The 1% rule in four digital health social networks: an observational
    study", J Med Internet Res 16(2):e33, doi:10.2196/jmir.2966: the top 1 %, next 9 % and
    bottom 90 % of actors wrote 74.7 %, 24.0 % and 1.3 % of the content; fewer than 25 % posted.

    Tolerance. With sigma 3.2 one member can carry a fifth of all content, so a single run's
    top-1 % share ranges from about 66 % to 97 %; over 100 seeds the model's mean is stable to
    about +-1 point around 77-78 / 19-20 / 2.7 %. The design note accepts the lognormal's gap
    to the paper (its [proto] run was 0.2, 1.8 and 1.9 points off): we allow 6 points on the top
    1 % and next 9 %, and for the bottom 90 % we require the known overshoot, at most 3 points.

    Why the bottom 90 % cannot be hit: one lognormal has a single shape parameter, sigma, and it
    sets all three shares together. Pushing the bottom 90 % down to 1.3 % needs a larger sigma,
    which lifts the top 1 % far above 74.7 % (the note: sigma 3.6 gives 83.1 / 15.2 / 1.8). Real
    forums have more pure lurkers, and a thinner low tail, than any lognormal, and the Poisson
    draw still gives a low-rate member the odd post.
    """
    top, middle, bottom, posted = _shares_pct(HETEROGENEITY_ONLY, range(100))
    assert abs(top - 74.7) <= 6.0
    assert abs(middle - 24.0) <= 6.0
    assert 1.3 < bottom <= 1.3 + 3.0
    assert 18.0 <= posted < 25.0


def test_nielsen_90_9_1_head_count():
    """Nielsen, J. (2006) "Participation inequality", NN/g Alertbox [recalled; a practitioner rule]:
    about 90 % of members never contribute. [proto] sigma 3.2, median 3e-5/day -> 12.6 % ever post,
    content 75.0 / 23.0 / 1.9 %. Tolerance: 3 points on who ever posts, 1 point on the shares (same
    draws as the prototype; seeds 0-4).
    """
    top, middle, bottom, posted = _shares_pct(HETEROGENEITY_ONLY.replace(median_post_rate=3e-5), SEEDS)
    assert abs(posted - 10.0) <= 3.0
    assert posted == pytest.approx(12.6, abs=0.5)
    assert (top, middle, bottom) == pytest.approx((75.0, 23.0, 1.9), abs=1.0)


# -- (b) habit ------------------------------------------------------------------------------


def test_habit_follows_lally_curve():
    """Lally, van Jaarsveld, Potts & Wardle (2010) "How are habits formed: modelling habit
    formation in the real world", Eur J Soc Psychol 40(6):998-1009, doi:10.1002/ejsp.674:
    daily practice reaches 95 % of its asymptote after a median of 66 days.

    Day 66 of the ritual is index 65 (day 0 is the first ritual day). [proto] habit 0.95 with every
    member checking in and 0.834 with checkin_share 0.6; tolerance 0.005.
    """
    full = m.habit_curve(BASELINE.replace(checkin=True, checkin_share=1.0))
    assert full[65] == pytest.approx(0.95, abs=0.005)
    assert int(np.argmax(full >= 0.95)) in (65, 66)
    partial = m.habit_curve(BASELINE.replace(checkin=True, checkin_share=0.6))
    assert partial[65] == pytest.approx(0.834, abs=0.005)
    np.testing.assert_array_equal(m.simulate(BASELINE.replace(checkin=True), seed=0).habit, partial)


def test_habit_waits_for_the_ritual_and_needs_it():
    """No ritual, no habit; a late ritual builds habit only from its first day."""
    assert not m.habit_curve(BASELINE).any()
    late = m.habit_curve(BASELINE.replace(checkin=True, checkin_start=30))
    assert not late[:31].any()
    assert late[31] > 0
    early = m.habit_curve(BASELINE.replace(checkin=True))
    np.testing.assert_allclose(late[30:], early[: early.size - 30])


# -- (c) reference behaviours of the design note ---------------------------------------------


def test_baseline_posts_decay_like_the_prototype():
    """[proto] N=500, seed 0, baseline posts/day: d0 320, d7 149, d14 102, d28 61, d60 5, d180 0
    (the note rounds to whole posts: tolerance 1 post)."""
    posts = m.simulate(BASELINE, seed=0).posts_per_day
    expected = {0: 320, 7: 149, 14: 102, 28: 61, 60: 5, 180: 0}
    for day, value in expected.items():
        assert posts[day] == pytest.approx(value, abs=1.0), day


def test_baseline_goes_quiet_within_two_months_except_one_seed():
    """[proto] quiet day (posts < 10 % of day 0) for seeds 0-4: 57, 55, 30, never, 27 (tolerance 2 days)."""
    quiet = _quiet_days(BASELINE)
    assert quiet[3] is None
    for got, want in zip(quiet, [57, 55, 30, None, 27]):
        if want is not None:
            assert got is not None and abs(got - want) <= 2
    summary = m.simulate(BASELINE, seed=3).summary()
    assert math.isnan(summary["quiet_day"]) and summary["went_quiet"] == 0.0


def test_checkin_keeps_the_group_alive():
    """[proto] check-in ritual: never quiet in 5/5 seeds; seed 0 on day 364: 205 posts/day and
    491 engaged members (tolerance 3 posts, 2 members)."""
    params = BASELINE.replace(checkin=True)
    assert _quiet_days(params) == [None] * 5
    result = m.simulate(params, seed=0)
    assert result.posts_per_day[-1] == pytest.approx(205, abs=3)
    assert result.engaged[-1] == pytest.approx(491, abs=2)


def test_moderators_save_some_groups():
    """[proto] 5 moderators x 3 posts/day survive in 3/5 seeds (seed 0 day 364: 49.5 posts/day,
    318 engaged; tolerance 1 post and 2 members); 10 moderators survive in 4/5."""
    five = BASELINE.replace(moderators=5)
    assert sum(q is None for q in _quiet_days(five)) == 3
    result = m.simulate(five, seed=0)
    assert result.posts_per_day[-1] == pytest.approx(49.5, abs=1.0)
    assert result.engaged[-1] == pytest.approx(318, abs=2)
    assert sum(q is None for q in _quiet_days(BASELINE.replace(moderators=10))) == 4


def test_events_delay_but_do_not_rescue():
    """[proto] an event every 14 days: quiet on days 64, 57, 32, never, 29 (tolerance 2 days):
    later than without events, yet the same four groups still go quiet."""
    base = _quiet_days(BASELINE)
    events = _quiet_days(BASELINE.replace(event_every_days=14))
    for got, want in zip(events, [64, 57, 32, None, 29]):
        assert (got is None) == (want is None)
        if want is not None:
            assert abs(got - want) <= 2
    for before, after in zip(base, events):
        assert (before is None) == (after is None)
        if before is not None:
            assert after >= before


def test_red_packets_help_while_paid_then_hurt():
    """Deci, Koestner & Ryan (1999) Psychol Bull 125(6):627-668 (crowding-out). [proto] red packets
    on days 0-27, seed 0: mean posts d0-27 269 vs 126 without; quiet on day 28 in 5/5 seeds; mean
    posts d28-90 7.9 vs 23.0 without (tolerance 3 posts during payment, 0.5 after)."""
    paid = BASELINE.replace(red_packets=True)
    with_packets = m.simulate(paid, seed=0).posts_per_day
    without = m.simulate(BASELINE, seed=0).posts_per_day
    assert with_packets[:28].mean() == pytest.approx(269, abs=3)
    assert without[:28].mean() == pytest.approx(126, abs=3)
    assert with_packets[28:91].mean() == pytest.approx(7.9, abs=0.5)
    assert without[28:91].mean() == pytest.approx(23.0, abs=0.5)
    assert _quiet_days(paid) == [28] * 5
    after_paid = np.mean([m.simulate(paid, s).posts_per_day[28:91].mean() for s in SEEDS])
    after_never = np.mean([m.simulate(BASELINE, s).posts_per_day[28:91].mean() for s in SEEDS])
    assert after_paid < 0.7 * after_never


def test_without_crowding_out_paying_never_leaves_the_group_worse():
    """The design note's experiment: with crowd_out = 0 the red-packet run is at least as active
    as the baseline on every day, so the cliff below the baseline is crowding-out, not the end
    of the payments (Deci, Koestner & Ryan 1999)."""
    no_crowding = BASELINE.replace(red_packets=True, crowd_out=0.0)
    for seed in SEEDS:
        paid = m.simulate(no_crowding, seed).posts_per_day
        never = m.simulate(BASELINE, seed).posts_per_day
        assert np.all(paid >= never - 1e-9)


@pytest.mark.parametrize("members", [2000, 10_000])
def test_critical_mass_large_groups_never_go_quiet(members):
    """[proto] with default settings, N = 2000 and N = 10000 never go quiet (seeds 0-4):
    thresholds are absolute posts/day, so critical mass is about volume (Granovetter 1978)."""
    assert _quiet_days(BASELINE.replace(members=members)) == [None] * 5


@pytest.mark.parametrize("members", [30, 238, 500, 2000])
def test_the_moderated_preset_never_goes_quiet(members):
    """[reference run] MODERATED (5 moderators, an event every 14 days, a check-in 30 % join) keeps every
    group alive: no quiet day in 10 seeds at 90, 365 or 730 days, while most default groups of 500 or fewer
    go quiet (lesson 07 compares real exports with it, so it must not be a death spiral in disguise)."""
    for days in (90, 365, 730):
        moderated = BASELINE.replace(members=members, days=days, **m.MODERATED)
        assert _quiet_days(moderated, seeds=range(10)) == [None] * 10, days


# -- summaries, shares, sweep, catalogs ------------------------------------------------------


def test_content_shares_by_rank_class():
    """Rank classes over all members: top 1 %, next 9 %, bottom 90 % (head counts)."""
    posts = np.zeros(200, dtype=int)
    posts[:2] = 50  # top 1 % = 2 members
    posts[2:20] = 2  # next 9 % = 18 members
    posts[20:30] = 1  # 10 of the bottom 90 %
    rng = np.random.default_rng(0)
    shares = m.content_shares(rng.permutation(posts))
    assert shares == pytest.approx((100 / 146, 36 / 146, 10 / 146))
    assert all(math.isnan(x) for x in m.content_shares(np.zeros(50, dtype=int)))


def test_summary_keys_and_ranges():
    summary = m.simulate(BASELINE, seed=0).summary()
    assert set(summary) == {
        "quiet_day",
        "went_quiet",
        "engaged_last_day",
        "posts_last_day",
        "top1_share",
        "next9_share",
        "bottom90_share",
        "ever_posted_pct",
    }
    assert summary["quiet_day"] == 57 and summary["went_quiet"] == 1.0
    assert summary["top1_share"] + summary["next9_share"] + summary["bottom90_share"] == pytest.approx(1.0)
    assert 0 <= summary["ever_posted_pct"] <= 100


def test_sweep_is_tidy():
    frame = m.sweep(BASELINE.replace(days=60), "moderators", [0, 5], runs=2, progress=False)
    assert list(frame["moderators"]) == [0, 0, 5, 5]
    assert {"run", "seed", "quiet_day", "engaged_last_day"} <= set(frame.columns)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_parameter_monitor_and_group_has_catalog_text(lang):
    messages = catalog(lang)
    keys = ["participation.title"]
    for name, spec in m.Params.specs().items():
        keys += [m.Params.label_key(name), m.Params.help_key(name), f"participation.group.{spec.group}"]
    keys += [f"participation.monitor.{key}" for key in m.simulate(BASELINE, 0).summary()]
    keys += [
        f"participation.info.{part}"
        for part in ("what", "how_works", "how_use", "notice", "try", "extend", "related", "credits")
    ]
    assert [key for key in keys if not messages.get(key, "").strip()] == []


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"red_packet_start": 30, "red_packet_end": 30}, ["red_packet_end = 30", "red_packet_start = 30", "[31, 730]"]),
        ({"red_packets": True, "days": 60, "red_packet_end": 90}, ["red_packet_end = 90", "[1, 60]", "days = 60"]),
        ({"checkin": True, "checkin_start": 365}, ["checkin_start = 365", "[0, 364]"]),
        ({"members": 20.5}, ["members", "20.5", "whole number"]),
    ],
)
def test_cross_field_and_type_errors_name_the_fields(changes, words):
    with pytest.raises(ValueError) as error:
        m.Params(**changes)
    for word in words:
        assert word in str(error.value)


def test_switched_off_schedules_are_not_checked_against_days():
    """A red-packet or check-in schedule that is switched off may sit outside a short run."""
    params = m.Params(days=30, red_packet_end=60, checkin_start=100)
    assert m.simulate(params, 0).posts_per_day.shape == (30,)


# -- (d) properties ------------------------------------------------------------------------------

SPECS = m.Params.specs()


@st.composite
def valid_params(draw, max_members: int = 2000, max_days: int = 240):
    """Any valid parameter set (sizes capped so that a property test stays quick)."""
    values = {}
    for name, spec in SPECS.items():
        if spec.boolean:
            values[name] = draw(st.booleans())
        elif spec.integer:
            values[name] = draw(st.integers(int(spec.lo), int(spec.hi)))
        elif spec.log:
            exponent = draw(st.floats(math.log10(spec.lo), math.log10(spec.hi)))
            values[name] = min(spec.hi, max(spec.lo, 10**exponent))
        else:
            values[name] = draw(st.floats(spec.lo, spec.hi, allow_nan=False))
    values["members"] = min(values["members"], max_members)
    values["days"] = min(values["days"], max_days)
    days = values["days"]
    values["red_packet_start"] = draw(st.integers(0, days - 1))
    values["red_packet_end"] = draw(st.integers(values["red_packet_start"] + 1, days))
    values["checkin_start"] = draw(st.integers(0, days - 1))
    return m.Params(**values)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _arrays(result: m.Result) -> dict[str, np.ndarray]:
    return {
        **result.series(),
        "member_posts": result.member_posts,
        "member_rate": result.member_rate,
        "member_threshold": result.member_threshold,
    }


@FAST
@given(valid_params(), st.integers(0, 2**32 - 1))
def test_nothing_negative_or_nan_and_members_conserved(params, seed):
    result = m.simulate(params, seed)
    for name, values in _arrays(result).items():
        assert np.all(np.isfinite(values)), name
        assert np.all(values >= 0), name
    tolerance = 1e-9 * params.members
    assert np.all(result.present <= params.members + tolerance)
    assert np.all(np.diff(result.present) <= tolerance)  # nobody joins after launch
    assert np.all(result.engaged <= result.present + tolerance)
    assert np.all(result.habit <= 1.0)
    assert result.member_posts.shape == (params.members,)
    assert result.posts_per_day.shape == (params.days,)


@FAST
@given(valid_params(max_members=500, max_days=90), st.integers(0, 2**32 - 2))
def test_same_seed_same_run_other_seed_other_run(params, seed):
    first, again, other = m.simulate(params, seed), m.simulate(params, seed), m.simulate(params, seed + 1)
    for name, values in _arrays(first).items():
        np.testing.assert_array_equal(values, _arrays(again)[name], err_msg=name)
    assert not np.array_equal(first.member_rate, other.member_rate)
    assert first.posts_per_day[0] != other.posts_per_day[0]


def _not_below(higher: m.Result, lower: m.Result) -> None:
    """Every daily series of ``higher`` is at least that of ``lower`` (up to float rounding)."""
    for name in ("posts_per_day", "engaged", "present", "buzz"):
        a, b = getattr(higher, name), getattr(lower, name)
        assert np.all(a >= b * (1 - 1e-9) - 1e-9), name


# Monotone responses. The model is a monotone system: more buzz engages a longer prefix of
# members and keeps more of them present, which raises tomorrow's posts and buzz. So any change
# that only adds posts or urge to post (never subtracting any) can only raise every daily series,
# at a fixed seed. Members and inequality are not here: they change the draws themselves.
MORE_IS_MORE = [
    "moderators",
    "moderator_posts",
    "event_boost",
    "activity_feedback",
    "novelty_floor",
    "checkin_share",
    "checkin_weight",
    "habit_strength",
    "habit_speed",
    "red_packet_boost",
]
MORE_IS_LESS = ["leave_rate", "threshold_median", "crowd_out", "feedback_half_point", "checkin_start"]


@FAST
@given(
    valid_params(max_members=1000, max_days=150),
    st.sampled_from(MORE_IS_MORE + MORE_IS_LESS),
    st.data(),
    st.integers(0, 1000),
)
def test_monotone_responses(params, name, data, seed):
    spec = SPECS[name]
    if name == "checkin_start":
        upper = params.days - 1
        low = data.draw(st.integers(0, upper))
        high = data.draw(st.integers(low, upper))
    elif spec.integer:
        low = data.draw(st.integers(int(spec.lo), int(spec.hi)))
        high = data.draw(st.integers(low, int(spec.hi)))
    else:
        low = data.draw(st.floats(spec.lo, spec.hi))
        high = data.draw(st.floats(low, spec.hi))
    small = m.simulate(params.replace(**{name: low}), seed)
    large = m.simulate(params.replace(**{name: high}), seed)
    if name in MORE_IS_MORE:
        _not_below(large, small)
    else:
        _not_below(small, large)


@FAST
@given(valid_params(max_members=1000, max_days=150), st.integers(0, 1000))
def test_switching_on_checkin_or_unpunished_red_packets_never_hurts(params, seed):
    off = m.simulate(params.replace(checkin=False), seed)
    _not_below(m.simulate(params.replace(checkin=True), seed), off)
    base = m.simulate(params.replace(red_packets=False), seed)
    _not_below(m.simulate(params.replace(red_packets=True, crowd_out=0.0), seed), base)


def test_more_moderators_never_lower_final_engagement():
    """The note's lever: at a fixed seed, each extra moderator keeps at least as many members engaged."""
    engaged = [m.simulate(BASELINE.replace(moderators=n), seed=2).engaged[-1] for n in range(21)]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(engaged))
    assert engaged[-1] > engaged[0]


def test_extreme_settings_stay_finite():
    """The corners a trainee can reach with every slider at its maximum or minimum."""
    top = {name: (True if spec.boolean else spec.hi) for name, spec in SPECS.items()}
    top.update(members=20_000, red_packet_start=0, red_packet_end=730, checkin_start=0, days=730)
    bottom = {name: (False if spec.boolean else spec.lo) for name, spec in SPECS.items()}
    bottom.update(red_packet_start=0, red_packet_end=1, checkin_start=0)
    for values in (top, bottom):
        result = m.simulate(m.Params(**values), seed=1)
        for name, array in _arrays(result).items():
            assert np.all(np.isfinite(array)) and np.all(array >= 0), name
