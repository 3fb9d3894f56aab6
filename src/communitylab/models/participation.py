"""Model 3: participation design and the death spiral (module 03).

A new group starts loud and goes quiet. Each member ``i`` has an intrinsic posting
rate ``lambda_i`` (lognormal, so a few members post most of the content) and an
engagement threshold ``theta_i``: the group activity, in posts/day, below which the
member stops following the conversation (Granovetter 1978). Group activity is
remembered as the buzz ``B(t)``, an exponentially weighted average of posts/day.

Equations of day ``t`` (mean field per member; one Poisson draw at the very end)::

    n(t)     = n_inf + (1 - n_inf) * exp(-(t / tau_n) ** beta_n)        novelty (Wu & Huberman 2007)
    n_eff(t) = n(t) + h(t) * habit_gain * (1 - n(t))                    habit restores part of it
    mult(t)  = n_eff * (1 + alpha_h * B / (B + h_half)) * cw(t)          self-excitation (Hawkes-like)
               * (1 + event_boost) on event days * (1 + rp_boost) while red packets are paid
    engaged  = {i : theta_i <= B(t)}   (everyone on day 0, the launch)
    posts(t) = sum_engaged lambda_i * present_i * mult + n_mod * mod_posts
               + checkin_p * sum_i present_i * checkin_w                 (check-in days only)
    present_i <- present_i * (1 - leave_rate * (1 - h(t)))              disengaged members only
    h(t + 1) = h(t) + habit_k * checkin_p * (1 - h(t))                  check-in days (Lally et al. 2010)
    cw       <- cw * (1 - crowd_out) from day rp_end on                 (Deci, Koestner & Ryan 1999)
    B(t + 1) = rho * B(t) + (1 - rho) * posts(t),  rho = exp(-1 / tau_h),  B(0) = sum_i lambda_i

Member ``i`` finally posts ``Poisson(lambda_i * acc_i)`` messages, where ``acc_i``
sums ``present_i * mult`` over the days the member was engaged.

Why it is fast: members are sorted by threshold once, so the engaged set is always
a prefix of that order, found by one binary search (``np.searchsorted``). Habit,
novelty, events, red packets and crowding-out follow fixed schedules and are
computed for all days before the loop; the loop itself runs a handful of vector
operations per day.

Spec shorthand -> names here: N members, sigma inequality, med_rate median_post_rate,
tau_n novelty_timescale, beta_n novelty_stretch, n_inf novelty_floor, tau_h
activity_memory, alpha_h activity_feedback, h_half feedback_half_point, theta_med
threshold_median, theta_sigma threshold_spread, leave_rate leave_rate, checkin
checkin, checkin_p checkin_share, checkin_w checkin_weight, habit_k habit_speed,
habit_gain habit_strength, n_mod moderators, mod_posts moderator_posts,
event_every event_every_days, event_boost event_boost, redpacket red_packets,
rp_boost red_packet_boost, rp_start red_packet_start, rp_end red_packet_end,
crowd_out crowd_out. ``checkin_start`` (the day the ritual begins) is not in the
spec's table; it serves the spec's "turn on check-in at day 30" experiment.

References
----------
van Mierlo (2014) J Med Internet Res 16(2):e33; Nielsen (2006) NN/g Alertbox;
Wu & Huberman (2007) PNAS 104(45):17599-17601; Granovetter (1978) Am J Sociol
83(6):1420-1443; Hawkes (1971) Biometrika 58(1):83-90; Lally et al. (2010) Eur J
Soc Psychol 40(6):998-1009; Deci, Koestner & Ryan (1999) Psychol Bull
125(6):627-668. See the Info panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._params import ModelParams, flag, param
from communitylab.models._sweep import sweep_model

__all__ = ["Params", "Result", "simulate", "sweep", "content_shares", "novelty", "habit_curve", "QUIET_FRACTION"]

#: A group "goes quiet" on the first day its posts fall below this fraction of day 0.
QUIET_FRACTION = 0.10
#: Habit speed at which a daily practice reaches 95 % of its asymptote on day 66,
#: the median in Lally et al. (2010): (1 - k)**66 ~ exp(-66 k) = 1/20.
LALLY_HABIT_SPEED = math.log(20) / 66


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the participation model. Rates are per day; thresholds are in posts/day."""

    model: ClassVar[str] = "participation"

    # The group
    members: int = param(500, unit="members", lo=10, hi=20000, step=10, integer=True, group="group", log=True)
    inequality: float = param(3.2, unit="log-sd", lo=0.5, hi=4.5, step=0.1, group="group")
    median_post_rate: float = param(0.004, unit="posts/day", lo=1e-5, hi=1.0, step=1e-5, group="group", log=True)
    # Dynamics of attention and engagement
    novelty_timescale: float = param(7.0, unit="days", lo=1, hi=90, step=1, group="dynamics")
    novelty_stretch: float = param(0.6, unit="", lo=0.2, hi=1.0, step=0.05, group="dynamics")
    novelty_floor: float = param(0.15, unit="fraction", lo=0, hi=1, step=0.01, group="dynamics")
    activity_memory: float = param(3.0, unit="days", lo=0.5, hi=30, step=0.5, group="dynamics")
    activity_feedback: float = param(1.0, unit="", lo=0, hi=5, step=0.1, group="dynamics")
    feedback_half_point: float = param(50.0, unit="posts/day", lo=1, hi=1000, step=1, group="dynamics", log=True)
    threshold_median: float = param(40.0, unit="posts/day", lo=0, hi=1000, step=1, group="dynamics")
    threshold_spread: float = param(0.8, unit="log-sd", lo=0, hi=3, step=0.05, group="dynamics")
    leave_rate: float = param(0.05, unit="1/day", lo=0, hi=0.5, step=0.005, group="dynamics")
    habit_speed: float = param(LALLY_HABIT_SPEED, unit="1/day", lo=0.005, hi=0.2, step=0.001, group="dynamics")
    habit_strength: float = param(0.3, unit="fraction", lo=0, hi=1, step=0.01, group="dynamics")
    # Interventions
    checkin: bool = flag(False, group="interventions")
    checkin_share: float = param(0.6, unit="fraction", lo=0, hi=1, step=0.01, group="interventions")
    checkin_weight: float = param(0.25, unit="fraction", lo=0, hi=1, step=0.01, group="interventions")
    checkin_start: int = param(0, unit="day", lo=0, hi=729, step=1, integer=True, group="interventions")
    moderators: int = param(0, unit="people", lo=0, hi=50, step=1, integer=True, group="interventions")
    moderator_posts: float = param(3.0, unit="posts/day", lo=0, hi=50, step=0.5, group="interventions")
    event_every_days: int = param(0, unit="days", lo=0, hi=90, step=1, integer=True, group="interventions")
    event_boost: float = param(1.0, unit="", lo=0, hi=10, step=0.1, group="interventions")
    red_packets: bool = flag(False, group="interventions")
    red_packet_boost: float = param(1.0, unit="", lo=0, hi=10, step=0.1, group="interventions")
    red_packet_start: int = param(0, unit="day", lo=0, hi=729, step=1, integer=True, group="interventions")
    red_packet_end: int = param(28, unit="day", lo=1, hi=730, step=1, integer=True, group="interventions")
    crowd_out: float = param(0.3, unit="fraction", lo=0, hi=0.9, step=0.01, group="interventions")
    # Simulation
    days: int = param(365, unit="days", lo=30, hi=730, step=5, integer=True, group="simulation")

    def _check_consistency(self) -> None:
        if self.red_packet_end <= self.red_packet_start:
            raise ValueError(
                f"participation.red_packet_end = {self.red_packet_end} must be after "
                f"participation.red_packet_start = {self.red_packet_start}: allowed range is "
                f"[{self.red_packet_start + 1}, 730] day"
            )
        # Only for switched-on interventions: a start outside the run is a mistake,
        # while leaving a switched-off schedule untouched must stay harmless.
        if self.red_packets and self.red_packet_end > self.days:
            raise ValueError(
                f"participation.red_packet_end = {self.red_packet_end} is outside the allowed range "
                f"[{self.red_packet_start + 1}, {self.days}] day (it must not exceed days = {self.days})"
            )
        if self.checkin and self.checkin_start >= self.days:
            raise ValueError(
                f"participation.checkin_start = {self.checkin_start} is outside the allowed range "
                f"[0, {self.days - 1}] day (the ritual must start before the run ends, days = {self.days})"
            )


@dataclass(frozen=True)
class Result:
    """Trajectory of one run. Daily arrays have shape ``(days,)``; index 0 is the launch day.

    Attributes
    ----------
    params : Params
        The parameters of the run.
    day : (days,) ndarray of int
        Day index.
    posts_per_day : (days,) ndarray of float
        Expected posts on each day (members, moderators and weighted check-ins).
    engaged : (days,) ndarray of float
        Expected members who are present and engaged (threshold at or below the buzz).
    present : (days,) ndarray of float
        Expected members still present (not left or muted), at the start of the day.
    habit : (days,) ndarray of float
        Habit strength in force on each day, in [0, 1].
    buzz : (days,) ndarray of float
        Remembered group activity ``B`` at the start of each day (posts/day).
    member_rate : (members,) ndarray of float
        Intrinsic posting rate of each member (posts/day), in threshold order.
    member_threshold : (members,) ndarray of float
        Engagement threshold of each member (posts/day), ascending.
    member_posts : (members,) ndarray of int
        Posts each member wrote over the whole run (one Poisson draw), same order.
    """

    params: Params
    day: NDArray[np.int64]
    posts_per_day: NDArray[np.float64]
    engaged: NDArray[np.float64]
    present: NDArray[np.float64]
    habit: NDArray[np.float64]
    buzz: NDArray[np.float64]
    member_rate: NDArray[np.float64]
    member_threshold: NDArray[np.float64]
    member_posts: NDArray[np.int64]

    @property
    def quiet_day(self) -> int | None:
        """First day whose posts fall below 10 % of day 0, or ``None`` if that never happens."""
        quiet = np.flatnonzero(self.posts_per_day < QUIET_FRACTION * self.posts_per_day[0])
        return int(quiet[0]) if quiet.size else None

    def summary(self) -> dict[str, float]:
        """Monitor values of the run.

        Returns
        -------
        dict
            ``quiet_day`` (day; NaN when the group never goes quiet within the run,
            so that averages over runs skip it), ``went_quiet`` (1 or 0; its mean over
            runs is the share of runs that went quiet), ``engaged_last_day`` (members),
            ``posts_last_day`` (posts/day), ``top1_share``, ``next9_share`` and
            ``bottom90_share`` (fractions of all member posts written by the top 1 %,
            the next 9 % and the bottom 90 % of members ranked by posts; NaN if nobody
            posted), ``ever_posted_pct`` (% of members with at least one post).
        """
        quiet = self.quiet_day
        shares = content_shares(self.member_posts)
        return {
            "quiet_day": float("nan") if quiet is None else float(quiet),
            "went_quiet": 0.0 if quiet is None else 1.0,
            "engaged_last_day": float(self.engaged[-1]),
            "posts_last_day": float(self.posts_per_day[-1]),
            "top1_share": shares[0],
            "next9_share": shares[1],
            "bottom90_share": shares[2],
            "ever_posted_pct": float(100.0 * np.count_nonzero(self.member_posts) / self.member_posts.size),
        }

    def series(self) -> dict[str, NDArray[np.float64]]:
        """The per-day series by name (for tables and charts)."""
        return {
            "posts_per_day": self.posts_per_day,
            "engaged": self.engaged,
            "present": self.present,
            "habit": self.habit,
            "buzz": self.buzz,
        }


def content_shares(member_posts: NDArray) -> tuple[float, float, float]:
    """Shares of all posts written by the top 1 %, next 9 % and bottom 90 % of members.

    Members are ranked by their post counts; the classes are head-count rank classes
    over *all* members, lurkers included (the 1 %/9 %/90 % of the "90-9-1" rule).

    Parameters
    ----------
    member_posts : (members,) array_like of int
        Posts per member, in any order.

    Returns
    -------
    tuple of float
        ``(top1, next9, bottom90)``, each in [0, 1] and summing to 1; NaNs if the
        total is 0 (the shares are then undefined).
    """
    counts = np.sort(np.asarray(member_posts, dtype=np.float64))[::-1]
    total = counts.sum()
    if total <= 0:
        return (float("nan"),) * 3
    top = max(1, round(0.01 * counts.size))
    top10 = max(top, round(0.10 * counts.size))
    head = counts[:top].sum()
    next9 = counts[top:top10].sum()
    return float(head / total), float(next9 / total), float((total - head - next9) / total)


def novelty(params: Params) -> NDArray[np.float64]:
    """Novelty ``n(t)`` of every day: a stretched exponential from 1 down to the floor, shape ``(days,)``."""
    p = params
    t = np.arange(p.days, dtype=np.float64)
    return p.novelty_floor + (1.0 - p.novelty_floor) * np.exp(-((t / p.novelty_timescale) ** p.novelty_stretch))


def habit_curve(params: Params) -> NDArray[np.float64]:
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


def _schedules(p: Params) -> tuple[NDArray, NDArray, NDArray, NDArray]:
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


def simulate(params: Params, seed: int = 0) -> Result:
    """Simulate a group's posts, engagement and presence over ``params.days`` days.

    Parameters
    ----------
    params : Params
        Model parameters.
    seed : int
        Seed of the members' rates, thresholds and final post counts; the same seed
        and parameters give bit-identical output.

    Returns
    -------
    Result
        The whole trajectory and every member's final post count.
    """
    p = params
    rng = np.random.default_rng(seed)
    n = p.members
    # Rates first, thresholds second: the order of draws is part of the seed contract.
    rate = p.median_post_rate * np.exp(p.inequality * rng.standard_normal(n))
    # Rates and thresholds are independent, so handing the i-th rate drawn the i-th
    # smallest threshold is as random a pairing as any: sorting the thresholds alone
    # makes every engaged set a prefix, found below by one binary search.
    threshold = np.sort(p.threshold_median * np.exp(p.threshold_spread * rng.standard_normal(n)))

    drive, stay, checkin_rate, habit = _schedules(p)
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

    member_posts = rng.poisson(rate * exposure)
    return Result(
        params=p,
        day=np.arange(p.days),
        posts_per_day=posts,
        engaged=engaged,
        present=present_total,
        habit=habit,
        buzz=buzz,
        member_rate=rate,
        member_threshold=threshold,
        member_posts=member_posts,
    )


def sweep(params: Params, field: str, values, runs: int = 1, seed: int = 0, progress: bool | None = None):
    """Summaries of runs over values of one parameter, as a tidy DataFrame (see :func:`sweep_model`)."""
    return sweep_model(simulate, params, field, values, runs=runs, seed=seed, progress=progress)
