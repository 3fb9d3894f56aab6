"""What drives a group regardless of its own activity: its members and the daily schedules.

Novelty, habit, events, red packets, crowding-out and the leaving rate follow fixed
schedules, computed for all days at once; only the buzz feeds back, and the kernels
(:mod:`.meanfield`, :mod:`.agents`) step that day by day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from communitylab.models._model import FloatArray

if TYPE_CHECKING:
    from communitylab.models.participation.model import Params

__all__ = ["draw_members", "novelty", "habit_curve", "daily_schedules"]


def draw_members(p: Params, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Who the members are: their posting rates and their thresholds.

    Parameters
    ----------
    p : Params
        Supplies the size of the group and the two lognormal laws.
    rng : numpy.random.Generator
        Source of randomness; rates are drawn first, thresholds second (the order
        is part of the seed contract, which the agent-level kernels share).

    Returns
    -------
    rate : (members,) ndarray of float
        Intrinsic posting rate of each member (posts/day), in the order drawn.
    threshold : (members,) ndarray of float
        Engagement thresholds (posts/day), ascending.
    """
    n = p.members
    rate = p.median_post_rate * np.exp(p.inequality * rng.standard_normal(n))
    # Rates and thresholds are independent, so handing the i-th rate drawn the i-th
    # smallest threshold is as random a pairing as any: sorting the thresholds alone
    # makes every engaged set a prefix of the members, found by one binary search.
    threshold = np.sort(p.threshold_median * np.exp(p.threshold_spread * rng.standard_normal(n)))
    return rate, threshold


def novelty(params: Params) -> FloatArray:
    """Novelty ``n(t)`` of every day: a stretched exponential from 1 down to the floor, shape ``(days,)``."""
    p = params
    t = np.arange(p.days, dtype=np.float64)
    return p.novelty_floor + (1.0 - p.novelty_floor) * np.exp(-((t / p.novelty_timescale) ** p.novelty_stretch))


def habit_curve(params: Params) -> FloatArray:
    """Habit strength in force on every day, shape ``(days,)``.

    Zero until the check-in ritual starts; then each ritual day closes a share
    ``habit_speed * checkin_share`` of the remaining gap to 1 (the asymptotic
    curve of Lally et al. 2010), so day ``checkin_start + d`` has habit
    ``1 - (1 - habit_speed * checkin_share) ** d``. No ritual, no habit.
    """
    p = params
    if not p.checkin:
        return np.zeros(p.days)
    practised = np.maximum(np.arange(p.days) - p.checkin_start, 0)
    return 1.0 - (1.0 - p.habit_speed * p.checkin_share) ** practised


def daily_schedules(p: Params) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Everything that does not depend on the buzz, for all days at once.

    Returns
    -------
    drive : (days,) ndarray of float
        ``mult / (1 + alpha_h * B / (B + h_half))``: novelty with habit, crowding-out,
        events and red packets.
    stay : (days,) ndarray of float
        Fraction of a disengaged member's presence kept at the end of each day.
    checkin_rate : (days,) ndarray of float
        Weighted check-in posts per present member (posts/day per member); 0 on
        days without the ritual.
    habit : (days,) ndarray of float
        Habit in force on each day.
    """
    day = np.arange(p.days)
    habit = habit_curve(p)
    fresh = novelty(p)
    drive = fresh + habit * p.habit_strength * (1.0 - fresh)
    if p.event_every_days > 0:
        # Events run on days every, 2*every, ...: a launch-day event would only raise
        # the day-0 yardstick of "quiet".
        event_day = (day > 0) & (day % p.event_every_days == 0)
        drive = drive * np.where(event_day, 1.0 + p.event_boost, 1.0)
    if p.red_packets:
        paid = (day >= p.red_packet_start) & (day < p.red_packet_end)
        # Crowding-out is permanent: intrinsic motivation stays lower after the payments stop.
        crowd = np.where(day >= p.red_packet_end, 1.0 - p.crowd_out, 1.0)
        drive = drive * np.where(paid, 1.0 + p.red_packet_boost, 1.0) * crowd
    stay = 1.0 - p.leave_rate * (1.0 - habit)
    checkin_rate = np.where(p.checkin & (day >= p.checkin_start), p.checkin_share * p.checkin_weight, 0.0)
    return drive, stay, checkin_rate, habit
