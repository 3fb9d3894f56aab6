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
    the same numbers up to rounding (about 1e-13). The members' exposures are not accumulated (nobody reads
    them here).

    Why it is fast: the engaged members are a prefix of each row (thresholds ascending) and only the members
    outside it decay, so the prefix's members keep their presence, and the running sums of ``rate_i *
    present_i`` and ``present_i`` along the row stay right up to the prefix's end. The prefix's two sums
    (posting rate and head count) are then one look-up each, and its length changes on a few dozen of a run's
    days, almost always shrinking. A member who drops out keeps ``present_i / D`` (``D``: the product of the
    row's daily stays so far), so its decay needs no work until it comes back, when its presence is that
    times the ``D`` of the day. A day costs a few operations on ``(G,)`` arrays, plus work on the members
    that move and, for the rare rows whose prefix grows, a new running sum of the row; instead of several
    passes over the whole ``(G, width)`` matrix.

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
    drive, stay, checkin_rate, moderator_posts, rho, alpha, half = _row_schedules(params)
    groups = rate.shape[0]
    state = _Prefixes(rate, threshold)

    posts, engaged, present_total = (np.empty((days, groups)) for _ in range(3))
    b = rate.sum(axis=1)  # launch buzz, as in mean_field
    total = state.head_count.copy()  # launch day: everyone looks in, whatever their threshold
    for t in range(days):
        if t:
            state.follow(b)
        mult = drive[t] * (1.0 + alpha * b / (b + half))
        today = state.rate_sum * mult + moderator_posts + checkin_rate[t] * total
        posts[t] = today
        engaged[t] = state.head_count
        present_total[t] = total
        # disengaged members stay with probability stay[t]; engaged ones are untouched
        total = state.head_count + stay[t] * (total - state.head_count)
        state.decay *= stay[t]
        b = rho * b + (1.0 - rho) * today
    return {"posts_per_day": posts.T, "engaged": engaged.T, "present": present_total.T}


def _row_schedules(params: Sequence[Params]) -> tuple[FloatArray, ...]:
    """Each row's schedules, ``(days, G)`` (drive, stay, check-in rate), and constants, ``(G,)``; shared rows once."""
    # keyed by the object: rows of one group share it, and hashing 800 frozen dataclasses costs more than it saves
    schedules = {}
    for p in params:
        if id(p) not in schedules:
            schedules[id(p)] = daily_schedules(p)
    drive, stay, checkin_rate = (np.array([schedules[id(p)][i] for p in params]).T.copy() for i in range(3))
    moderator_posts = np.array([p.moderators * p.moderator_posts for p in params])
    rho = np.exp(-1.0 / np.array([p.activity_memory for p in params]))
    alpha = np.array([p.activity_feedback for p in params])
    half = np.array([p.feedback_half_point for p in params])
    return drive, stay, checkin_rate, moderator_posts, rho, alpha, half


class _Prefixes:
    """The engaged prefix of every row and its two sums, kept up to date as the buzz moves (see mean_field_many).

    ``present[g, i]`` is member ``i``'s presence while it is engaged (``i < k[g]``) and ``present_i / decay[g]``
    once it has dropped out; ``sums[0]`` and ``sums[1]`` hold the running sums of ``rate_i * present_i`` and
    ``present_i`` along each row (``sums[:, g, j]`` over members ``< j``), right for ``j <= k[g]``.
    """

    def __init__(self, rate: FloatArray, threshold: FloatArray) -> None:
        groups, width = rate.shape
        self.rate, self.threshold = rate, threshold
        self.present = np.isfinite(threshold).astype(float)  # padding is never present
        self.decay = np.ones(groups)  # product of the row's stays since day 0
        self.sums = np.zeros((2, groups, width + 1))
        np.cumsum(rate * self.present, axis=1, out=self.sums[0, :, 1:])
        np.cumsum(self.present, axis=1, out=self.sums[1, :, 1:])
        self.k = np.count_nonzero(self.present, axis=1)  # launch day: everyone
        # thresholds with a sentinel each side: the prefix of length k still holds while
        # bounds[g, k] <= b < bounds[g, k + 1] (the last engaged member's threshold, the first disengaged one's)
        bounds = np.empty((groups, width + 2))
        bounds[:, 0], bounds[:, 1:-1], bounds[:, -1] = -np.inf, threshold, np.inf
        self.bounds = bounds.ravel()
        self.row_start = np.arange(groups) * (width + 2)
        self.width, self.steps = width, int(width + 1).bit_length()  # binary-search steps over width + 2 bounds
        self.rate_sum, self.head_count = self.sums[0, :, -1].copy(), self.sums[1, :, -1].copy()

    def follow(self, b: FloatArray) -> None:
        """Move each row's prefix to the members whose threshold is at most the buzz ``b`` (posts/day)."""
        at = self.row_start + self.k
        moved = np.flatnonzero((np.take(self.bounds, at) > b) | (np.take(self.bounds, at + 1) <= b))
        if not moved.size:
            return
        old = self.k[moved]
        new = self._search(moved, b[moved])
        self.k[moved] = new
        down, up = new < old, new > old
        # members dropping out keep present / decay, so their decay needs no work until they come back
        rows, columns = _ranges(moved[down], new[down], old[down])
        self.present[rows, columns] /= self.decay[rows]
        grown = moved[up]
        if grown.size:
            rows, columns = _ranges(grown, old[up], new[up])
            self.present[rows, columns] *= self.decay[rows]
            # members came back at the end of the prefix: the running sums are carried on from the first row's old
            # end (where every grown row's sums still hold) to the last row's new end
            first, last = int(old[up].min()), int(new[up].max())
            present = self.present[grown, first:last]
            carried = self.sums[:, grown, first : first + 1]
            self.sums[0, grown, first + 1 : last + 1] = carried[0] + np.cumsum(
                self.rate[grown, first:last] * present, axis=1
            )
            self.sums[1, grown, first + 1 : last + 1] = carried[1] + np.cumsum(present, axis=1)
        self.rate_sum[moved], self.head_count[moved] = self.sums[:, moved, new]

    def _search(self, rows: np.ndarray, b: FloatArray) -> np.ndarray:
        """How many of each row's members have a threshold at most ``b``: a binary search of all the rows at once."""
        # invariant: bounds[row, lo] <= b < bounds[row, hi] (the sentinels make it true from the start)
        start = self.row_start[rows]
        lo, hi = np.zeros(rows.size, dtype=np.int64), np.full(rows.size, self.width + 1)
        for _ in range(self.steps):
            middle = (lo + hi) >> 1
            below = np.take(self.bounds, start + middle) <= b
            lo = np.where(below, middle, lo)
            hi = np.where(below, hi, middle)
        return lo


def _ranges(rows: np.ndarray, start: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the cells ``[start[j], stop[j])`` of each row ``rows[j]``."""
    lengths = stop - start
    count = int(lengths.sum())
    row_index = np.repeat(rows, lengths)
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return row_index, np.repeat(start, lengths) + (np.arange(count) - offsets)
