"""The mean-field kernel of the participation model: expected values per member, stepped day by day.

Every member carries a presence in [0, 1] (the probability of still being there)
rather than a coin flip, and posts at its expected rate; only the final post counts
are drawn. Why it is fast: members are sorted by threshold once, so the engaged set
is always a prefix of that order, found by one binary search (``np.searchsorted``);
everything that does not depend on the buzz comes precomputed from
:func:`~.drivers.daily_schedules`, so the loop runs a handful of vector operations
per day.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from communitylab.models._model import FloatArray
from communitylab.models.participation.drivers import daily_schedules

if TYPE_CHECKING:
    from communitylab.models.participation.model import Params

__all__ = ["mean_field"]


def mean_field(p: Params, rate: FloatArray, threshold: FloatArray) -> tuple[dict[str, FloatArray], FloatArray]:
    """Step the group's expected activity over ``p.days`` days.

    Parameters
    ----------
    p : Params
        Model parameters.
    rate : (members,) ndarray of float
        Intrinsic posting rates (posts/day), from :func:`~.drivers.draw_members`.
    threshold : (members,) ndarray of float
        Engagement thresholds (posts/day), ascending.

    Returns
    -------
    daily : dict of (days,) ndarray of float
        ``posts_per_day``, ``engaged``, ``present``, ``habit`` and ``buzz``, as in
        :class:`~.model.Result`.
    exposure : (members,) ndarray of float
        ``acc_i``: each member's presence times the day's multiplier, summed over the
        days the member was engaged; member ``i`` posts ``Poisson(rate_i * acc_i)``.
    """
    n = p.members
    drive, stay, checkin_rate, habit = daily_schedules(p)
    moderator_posts = p.moderators * p.moderator_posts
    rho = math.exp(-1.0 / p.activity_memory)
    alpha, half = p.activity_feedback, p.feedback_half_point

    # One (2, n) matrix so a single product gives both the engaged posting rate
    # and the engaged head count of the prefix.
    rate_and_one = np.vstack([rate, np.ones(n)])
    present = np.ones(n)
    exposure = np.zeros(n)  # acc_i: sum of present_i * mult over engaged days
    posts = np.empty(p.days)
    engaged = np.empty(p.days)
    present_total = np.empty(p.days)
    buzz = np.empty(p.days)

    b = float(rate.sum())  # launch buzz: everyone's intrinsic rate at full novelty
    total = float(n)
    searchsorted = np.searchsorted
    for t in range(p.days):
        buzz[t] = b
        mult = drive[t] * (1.0 + alpha * b / (b + half))
        # Launch day: everyone looks in, whatever their threshold.
        k = n if t == 0 else int(searchsorted(threshold, b, side="right"))
        head = present[:k]
        rate_sum, head_count = rate_and_one[:, :k] @ head
        exposure[:k] += head * mult
        tail = present[k:]
        tail_total = tail.sum() if k < n else 0.0
        today = rate_sum * mult + moderator_posts + checkin_rate[t] * total
        posts[t] = today
        engaged[t] = head_count
        present_total[t] = total
        if stay[t] != 1.0 and k < n:
            tail *= stay[t]
            total = head_count + stay[t] * tail_total
        b = rho * b + (1.0 - rho) * today

    daily = {"posts_per_day": posts, "engaged": engaged, "present": present_total, "habit": habit, "buzz": buzz}
    return daily, exposure
