"""The capstone leaderboard's kernel gives the numbers of one run at a time, faster."""

from __future__ import annotations

import numpy as np
import pytest

from communitylab.models import community, participation
from communitylab.models.community import batch
from communitylab.models.participation.drivers import draw_members
from communitylab.models.participation.meanfield import mean_field_many


def test_mean_field_many_gives_each_group_its_own_mean_field():
    groups = [
        participation.Params(),
        participation.Params(checkin=True, members=300),
        participation.Params(moderators=4),
    ]
    rate, threshold = np.zeros((6, 500)), np.full((6, 500), np.inf)
    rows = []
    for i, (group, seed) in enumerate([(g, s) for g in groups for s in (0, 7)]):
        rate[i, : group.members], threshold[i, : group.members] = draw_members(group, np.random.default_rng(seed))
        rows.append((group, seed))
    out = mean_field_many([g for g, _ in rows], rate, threshold)
    for i, (group, seed) in enumerate(rows):
        own = participation.simulate(group, seed)
        np.testing.assert_allclose(out["engaged"][i], own.engaged, rtol=1e-10, atol=1e-9)
        np.testing.assert_allclose(out["posts_per_day"][i], own.posts_per_day, rtol=1e-10)
        np.testing.assert_allclose(out["present"][i], own.present, rtol=1e-10)


def test_mean_field_many_follows_groups_whose_engaged_set_grows_back_and_empties():
    """Events, red packets and a late check-in make the buzz rise again, so members who dropped out come back
    (with the presence they kept); a quiet group empties its engaged set; padding of several widths."""
    groups = [
        participation.Params(event_every_days=10, event_boost=3.0, members=120, days=200),
        participation.Params(red_packets=True, red_packet_start=20, red_packet_end=60, members=500, days=200),
        participation.Params(checkin=True, checkin_start=40, leave_rate=0.3, members=60, days=200),
        participation.Params(threshold_median=400, members=200, days=200),
        participation.Params(moderators=10, event_every_days=7, leave_rate=0.5, members=10, days=200),
    ]
    rate, threshold = np.zeros((10, 500)), np.full((10, 500), np.inf)
    rows = [(g, s) for g in groups for s in (1, 2)]
    for i, (group, seed) in enumerate(rows):
        rate[i, : group.members], threshold[i, : group.members] = draw_members(group, np.random.default_rng(seed))
    out = mean_field_many([g for g, _ in rows], rate, threshold)
    grew_back = 0
    for i, (group, seed) in enumerate(rows):
        own = participation.simulate(group, seed)
        np.testing.assert_allclose(out["engaged"][i], own.engaged, rtol=1e-10, atol=1e-9)
        np.testing.assert_allclose(out["posts_per_day"][i], own.posts_per_day, rtol=1e-10)
        np.testing.assert_allclose(out["present"][i], own.present, rtol=1e-10)
        grew_back += int(np.any(np.diff(own.engaged[1:]) > 0))
    assert grew_back >= 4  # the test exercises members coming back, not only a shrinking prefix
    assert np.any(out["engaged"][:, -1] == 0)


def test_mean_field_many_needs_one_run_length():
    with pytest.raises(ValueError, match="same days"):
        mean_field_many([participation.Params(), participation.Params(days=100)], np.ones((2, 500)), np.ones((2, 500)))


def test_batch_health_equals_one_run_at_a_time():
    plans = [
        community.Params(),
        community.Params(checkin=True, app=True, mini_program=True, group_members=300, moderators=2),
        community.Params(followers=1_000_000, follow_up_share=0, loop_closure=0, selling_intensity=1.5, price=120),
        community.Params(days=120, followers=500, reach=0.9, niche_width=0.03),
    ]
    shares, health = batch.health_many(plans, [0, 3, 11])
    assert shares.shape == (4, 3, 6) and health.shape == (4, 3)
    for i, plan in enumerate(plans):
        for j, seed in enumerate([0, 3, 11]):
            result = community.simulate(plan, seed)
            components = community.health_components(result)
            np.testing.assert_allclose(shares[i, j], [components[p] for p in community.PILLARS], rtol=1e-9, atol=1e-12)
            assert health[i, j] == pytest.approx(result.summary()["health_score"], abs=1e-9)
