"""Model 3: participation design and the death spiral (module 03): parameters, result, equations.

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
sums ``present_i * mult`` over the days the member was engaged. The kernel that
steps these equations is :func:`~.meanfield.mean_field`; the schedules that do
not depend on the buzz are in :mod:`.drivers`.

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

Sources and course assumptions: :data:`SOURCES` and :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from communitylab.models._model import Assumption, DailyResult, Evidence, FloatArray, IntArray, Model, Source
from communitylab.models._params import ModelParams, flag, param, run_days
from communitylab.models.participation.drivers import draw_members
from communitylab.models.participation.meanfield import mean_field

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "content_shares", "QUIET_FRACTION", "MODERATED"]

#: A group "goes quiet" on the first day its posts fall below this fraction of day 0.
QUIET_FRACTION = 0.10
#: Habit speed at which a daily practice reaches 95 % of its asymptote on day 66,
#: the median in Lally et al. (2010): (1 - k)**66 ~ exp(-66 k) = 1/20.
LALLY_HABIT_SPEED = math.log(20) / 66

#: A moderated community: the changes to :class:`Params` that make an operator's group
#: healthy rather than the defaults' death spiral. Five moderators or role-holders post
#: every day (3 posts each, the default), an event every 14 days, and a daily check-in
#: ritual from launch day that 30 % of members join (the bundled WeChat study group's
#: share). Module 03's reference runs (docs/models.md#participation) show the parts:
#: five moderators save 3 of 5 groups of 500, events delay the slide without stopping
#: it, a check-in keeps every group alive. Together, in 10 seeds, no group of 30 to 2,000
#: members goes quiet within 90, 365 or 730 days (``tests/models/test_participation.py``).
#: The combination and the 30 % are course assumptions, not a measured community.
MODERATED: Mapping[str, Any] = MappingProxyType(
    {"moderators": 5, "event_every_days": 14, "checkin": True, "checkin_share": 0.3}
)


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
    days: int = run_days()

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


#: Published works the model takes forms or numbers from.
SOURCES = (
    Source(
        "van Mierlo (2014) The 1% rule in four digital health social networks, J Med Internet Res 16(2):e33",
        "participation inequality: the top 1 %, next 9 % and bottom 90 % wrote 74.7 %, 24.0 % and 1.3 % "
        "of the content and fewer than 25 % ever posted; the lognormal inequality default is set against it",
        fields=("inequality", "top1_share", "next9_share", "bottom90_share", "ever_posted_pct"),
    ),
    Source(
        "Nielsen (2006) Participation inequality, Nielsen Norman Group Alertbox",
        "the 90-9-1 head-count rule of thumb",
        Evidence.COMMONLY_REPORTED,
    ),
    Source(
        "Wu & Huberman (2007) Novelty and collective attention, PNAS 104(45):17599-17601",
        "novelty decays as a stretched exponential (the form only)",
        fields=("novelty_stretch",),
    ),
    Source(
        "Granovetter (1978) Threshold models of collective behavior, Am J Sociol 83(6):1420-1443",
        "members follow the group while its activity is above their own threshold",
        Evidence.RECALLED,
    ),
    Source(
        "Hawkes (1971) Spectra of some self-exciting and mutually exciting point processes, Biometrika 58(1):83-90",
        "activity excites activity (here a mean field with exponential memory, not a point process)",
        Evidence.RECALLED,
    ),
    Source(
        "Lally, van Jaarsveld, Potts & Wardle (2010) How are habits formed, Eur J Soc Psychol 40(6):998-1009",
        "habit grows along an asymptotic curve; the default speed reaches 95 % on day 66, the median "
        "(the median via secondary summaries)",
        Evidence.SECONDARY,
        ("habit_speed",),
    ),
    Source(
        "Deci, Koestner & Ryan (1999) A meta-analytic review of experiments examining the effects of "
        "extrinsic rewards on intrinsic motivation, Psychol Bull 125(6):627-668",
        "task-contingent rewards lower intrinsic motivation (crowding-out)",
    ),
)
#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption("the novelty time scale in days", ("novelty_timescale", "novelty_floor")),
    Assumption("a 30 % permanent loss of motivation after red packets stop", ("crowd_out",)),
    Assumption(
        "thresholds in posts/day, the activity feedback, the leaving rate, the weight of a check-in "
        "and the boosts of events and red packets are teaching defaults",
        (
            "threshold_median",
            "threshold_spread",
            "activity_memory",
            "activity_feedback",
            "feedback_half_point",
            "leave_rate",
            "habit_strength",
            "checkin_share",
            "checkin_weight",
            "moderator_posts",
            "event_boost",
            "red_packet_boost",
        ),
    ),
    Assumption("everyone follows the group on launch day; the buzz starts at the sum of the members' rates"),
)


@dataclass(frozen=True)
class Result(DailyResult):
    """A group's activity day by day (day 0 is the launch), and each member's rate, threshold and posts.

    Attributes
    ----------
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
    posts_per_day: FloatArray
    engaged: FloatArray
    present: FloatArray
    habit: FloatArray
    buzz: FloatArray
    member_rate: FloatArray
    member_threshold: FloatArray
    member_posts: IntArray

    SERIES = ("posts_per_day", "engaged", "present", "habit", "buzz")

    @property
    def quiet_day(self) -> int | None:
        """First day whose posts fall below 10 % of day 0, or ``None`` if that never happens."""
        quiet = np.flatnonzero(self.posts_per_day < QUIET_FRACTION * self.posts_per_day[0])
        return int(quiet[0]) if quiet.size else None

    def summary(self) -> dict[str, float]:
        """Monitor values of the run.

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


def content_shares(member_posts: ArrayLike) -> tuple[float, float, float]:
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


def _simulate(p: Params, seed: int) -> Result:
    """A group's posts, engagement and presence over ``p.days`` days (the mean field).

    ``seed`` draws the members' rates and thresholds, then their final post counts.
    """
    rng = np.random.default_rng(seed)
    rate, threshold = draw_members(p, rng)
    daily, exposure = mean_field(p, rate, threshold)
    return Result(
        params=p,
        day=np.arange(p.days),
        **daily,
        member_rate=rate,
        member_threshold=threshold,
        member_posts=rng.poisson(rate * exposure),
    )


MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
