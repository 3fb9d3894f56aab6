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
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from communitylab.models._model import FloatArray
from communitylab.models.participation.drivers import daily_schedules

if TYPE_CHECKING:
    from communitylab.models.participation.model import Params

__all__ = ["mean_field", "mean_field_many"]


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


def mean_field_many(params: Sequence[Params], rate: FloatArray, threshold: FloatArray) -> dict[str, FloatArray]:
    """:func:`mean_field` for many groups at once, one row per group (the capstone leaderboard's kernel).

    Every row follows the same equations as :func:`mean_field`, with its own parameters and members, and gives
    the same numbers up to rounding (about 1e-13): the engaged prefix is found by comparing the row's thresholds
    with its buzz instead of a binary search, and a day's decay of the disengaged members is applied to every
    row (a factor of exactly 1 where nothing decays). The members' exposures are not accumulated (nobody reads
    them here). Stepping 800 groups together costs a few element-wise passes a day instead of 800 Python loops.

    Parameters
    ----------
    params : sequence of Params
        Each row's parameters; all must have the same ``days``. Rows may share one object.
    rate : (G, width) ndarray of float
        Intrinsic posting rates (posts/day); a group with fewer members than ``width`` is padded with 0.
    threshold : (G, width) ndarray of float
        Engagement thresholds, ascending along each row (posts/day); padded with ``inf``.

    Returns
    -------
    dict of (G, days) ndarray of float
        ``posts_per_day``, ``engaged`` and ``present`` (at the start of each day), as in :class:`~.model.Result`.
    """
    days = {p.days for p in params}
    if len(days) != 1:
        raise ValueError(f"groups stepped together need the same days, got {sorted(days)}")
    (days,) = days
    schedules = {}
    for p in params:
        if p not in schedules:
            schedules[p] = daily_schedules(p)
    drive, stay, checkin_rate = (np.array([schedules[p][i] for p in params]).T.copy() for i in range(3))  # (days, G)
    moderator_posts = np.array([p.moderators * p.moderator_posts for p in params])
    rho = np.exp(-1.0 / np.array([p.activity_memory for p in params]))
    alpha = np.array([p.activity_feedback for p in params])
    half = np.array([p.feedback_half_point for p in params])

    groups, width = rate.shape
    # rows 0 and 1: rate_i * present_i and present_i (padding is never present), one product gives both sums
    both = np.empty((2, groups, width))
    both[0] = rate
    both[1] = np.isfinite(threshold)
    both[0] *= both[1]
    posts, engaged, present_total = (np.empty((days, groups)) for _ in range(3))
    b = rate.sum(axis=1)  # launch buzz, as in mean_field
    total = both[1].sum(axis=1)
    following = np.ones((groups, width), dtype=bool)  # launch day: everyone looks in
    for t in range(days):
        mult = drive[t] * (1.0 + alpha * b / (b + half))
        if t:
            np.less_equal(threshold, b[:, None], out=following)
        rate_sum, head_count = np.einsum("kij,ij->ki", both, following)
        today = rate_sum * mult + moderator_posts + checkin_rate[t] * total
        posts[t] = today
        engaged[t] = head_count
        present_total[t] = total
        # disengaged members stay with probability stay[t]; engaged ones are untouched
        total = head_count + stay[t] * (total - head_count)
        both *= np.where(following, 1.0, stay[t][:, None])
        b = rho * b + (1.0 - rho) * today
    return {"posts_per_day": posts.T, "engaged": engaged.T, "present": present_total.T}
