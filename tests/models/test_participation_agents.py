"""The agent-level participation kernel: one history, every member's own state.

Its agreement in distribution with the Mesa model is tested in tests/benchmarks (it needs mesa);
here are the rules a single history must obey whatever its random numbers.
"""

import numpy as np
import pytest

from communitylab.models import attention
from communitylab.models.participation import Params, simulate, simulate_agents

SMALL = Params(members=300, days=90)


def test_one_seed_gives_the_mean_fields_people():
    agents, field = simulate_agents(SMALL, seed=5, chance_seed=1), simulate(SMALL, seed=5)
    assert np.array_equal(agents.member_rate, field.member_rate)
    assert np.array_equal(agents.member_threshold, field.member_threshold)


def test_chance_seed_replays_the_same_people_through_other_histories():
    first, again = simulate_agents(SMALL, 5, chance_seed=1), simulate_agents(SMALL, 5, chance_seed=1)
    other = simulate_agents(SMALL, 5, chance_seed=2)
    assert np.array_equal(first.posts_per_day, again.posts_per_day)
    assert np.array_equal(first.member_posts, again.member_posts)
    assert np.array_equal(first.member_rate, other.member_rate)
    assert not np.array_equal(first.posts_per_day, other.posts_per_day)


def test_counts_are_whole_members_who_only_ever_leave():
    result = simulate_agents(SMALL.replace(checkin=True, moderators=2), seed=3)
    assert result.present[0] == SMALL.members and result.engaged[0] == SMALL.members  # launch day: everyone looks in
    assert np.all(np.diff(result.present) <= 0)
    assert np.all(result.engaged <= result.present)
    for counts in (result.present, result.engaged, result.member_posts):
        assert np.array_equal(counts, np.round(counts)) and counts.min() >= 0


def test_every_member_post_is_in_the_daily_totals():
    """Without check-ins the day's posts are the members' posts plus the moderators' fixed share."""
    params = SMALL.replace(moderators=3, moderator_posts=2.5)
    result = simulate_agents(params, seed=8)
    member_part = result.posts_per_day - params.moderators * params.moderator_posts
    assert member_part.sum() == pytest.approx(result.member_posts.sum())
    assert np.array_equal(member_part, np.round(member_part))


def test_nobody_leaves_without_a_leaving_rate_and_the_ritual_makes_a_habit():
    stay = simulate_agents(SMALL.replace(leave_rate=0.0), seed=2)
    assert np.all(stay.present == SMALL.members)
    ritual = simulate_agents(SMALL.replace(checkin=True), seed=2)
    assert np.array_equal(ritual.habit, simulate(SMALL.replace(checkin=True), seed=2).habit)


def test_the_agents_average_near_the_mean_field_where_the_group_lives():
    """With a check-in ritual the group lives; 20 histories average within 2 % of the expected posts per day."""
    params = Params(members=400, days=120, checkin=True)
    histories = [simulate_agents(params, seed=1, chance_seed=j).posts_per_day.mean() for j in range(20)]
    assert np.mean(histories) == pytest.approx(simulate(params, seed=1).posts_per_day.mean(), rel=0.02)


def test_other_models_params_are_refused():
    with pytest.raises(ValueError, match="expected participation Params"):
        simulate_agents(attention.Params())
