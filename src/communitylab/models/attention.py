"""Model 1: value positioning and attention share (module 01).

A member sits in ``K(t)`` groups and reads each through a multinomial logit
(McFadden 1974) over the groups' utilities. Tastes sit on a circle (Salop 1979):
our group is at position 0 with niche width ``w0``; a member at circular
distance ``d`` values it at

    V(d, w, m) = kappa * ln(W / w) - t_cost * (d / w)**2 - lam_noise * ln(1 + m / m_ref)

(depth bonus for a narrow niche, mismatch cost, annoyance of volume ``m``).
Competitors are mean-field: their positions are uniform on the circle and their
volumes lognormal, so their inclusive value ``IV(t)`` is the same for every member.
As groups multiply, the total inbound volume ``M(t)`` rises and members grow
pickier: the mute threshold ``T(t) = V_mute + omega * ln(1 + M(t)/C)`` tightens
(Jones, Ravid & Rafaeli 2004). A member mutes our group with daily hazard
``h_max * sigmoid((T(t) - V0) / s_mute)``; survival ``S`` is the product of the
daily non-mute probabilities.

Spec shorthand -> names here: N members, K0 groups_start, K_growth groups_per_day,
w0 niche_width, w competitor_width, W reference_width, kappa depth_value, t_cost
mismatch_cost, m0 posts_per_day, m_c competitor_posts, m_c_sd competitor_posts_spread,
m_ref volume_reference, lam_noise noise_aversion, mu attention_randomness,
V_out outside_option, V_mute mute_threshold, omega overload_pickiness, C skim_capacity,
s_mute mute_softness, h_max max_mute_hazard, A reading_budget.

Sources and course assumptions: :data:`SOURCES` and :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._model import Assumption, DailyResult, Evidence, FloatArray, Model, Source
from communitylab.models._params import ModelParams, param, run_days

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "share_vs_groups", "member_utility"]

#: Members are aggregated into this many equal-count bins of their utility; the
#: design note measured a maximum error of 9e-8 in read share against the exact
#: per-member computation at a fifteenth of the cost.
UTILITY_BINS = 512
#: Quadrature of the mean-field competitors: distances x volume quantiles.
COMPETITOR_DISTANCES = 32
COMPETITOR_VOLUMES = 8


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the attention-share model. Rates are per day; utilities are in utils."""

    model: ClassVar[str] = "attention"

    # Your group
    niche_width: float = param(0.10, unit="circle fraction", lo=0.02, hi=0.5, step=0.01, group="group")
    posts_per_day: float = param(20.0, unit="msgs/day", lo=1, hi=500, step=1, group="group", log=True)
    depth_value: float = param(1.0, unit="utils", lo=0, hi=3, step=0.05, group="group")
    # Competition
    groups_start: float = param(50.0, unit="groups", lo=1, hi=1000, step=1, group="competition", log=True)
    groups_per_day: float = param(0.5, unit="groups/day", lo=0, hi=3, step=0.05, group="competition")
    competitor_width: float = param(0.25, unit="circle fraction", lo=0.02, hi=0.5, step=0.01, group="competition")
    competitor_posts: float = param(20.0, unit="msgs/day", lo=1, hi=500, step=1, group="competition", log=True)
    competitor_posts_spread: float = param(0.8, unit="log-sd", lo=0, hi=2, step=0.05, group="competition")
    # Members
    mismatch_cost: float = param(0.5, unit="utils", lo=0.05, hi=3, step=0.05, group="members")
    noise_aversion: float = param(0.5, unit="utils", lo=0, hi=3, step=0.05, group="members")
    volume_reference: float = param(20.0, unit="msgs/day", lo=1, hi=200, step=1, group="members")
    reference_width: float = param(0.25, unit="circle fraction", lo=0.05, hi=0.5, step=0.01, group="members")
    attention_randomness: float = param(1.0, unit="utils", lo=0.1, hi=5, step=0.05, group="members")
    outside_option: float = param(0.0, unit="utils", lo=-5, hi=5, step=0.1, group="members")
    reading_budget: float = param(100.0, unit="msgs/day", lo=10, hi=1000, step=10, group="members")
    # Muting
    mute_threshold: float = param(-2.5, unit="utils", lo=-6, hi=2, step=0.1, group="muting")
    overload_pickiness: float = param(0.5, unit="utils per log-volume", lo=0, hi=2, step=0.05, group="muting")
    skim_capacity: float = param(200.0, unit="msgs/day", lo=20, hi=2000, step=10, group="muting")
    mute_softness: float = param(0.3, unit="utils", lo=0.05, hi=2, step=0.05, group="muting")
    max_mute_hazard: float = param(0.02, unit="1/day", lo=0.001, hi=0.2, step=0.001, group="muting")
    # Simulation
    members: int = param(10000, unit="members", lo=100, hi=20000, step=100, integer=True, group="simulation")
    days: int = run_days()


#: Published works the model takes forms or numbers from.
SOURCES = (
    Source(
        "McFadden (1974) Conditional logit analysis of qualitative choice behavior, in Zarembka (ed.) "
        "Frontiers in Econometrics, 105-142",
        "members split their reading by a multinomial logit; its independence of irrelevant "
        "alternatives is the anchor (doubling the groups halves our share without muting)",
        Evidence.RECALLED,
    ),
    Source(
        "Salop (1979) Monopolistic competition with outside goods, Bell J. Econ. 10(1):141-156",
        "tastes on a circle with an outside option",
        Evidence.RECALLED,
    ),
    Source(
        "Simon (1971) Designing organizations for an information-rich world, in Greenberger (ed.) "
        "Computers, Communications, and the Public Interest",
        "a wealth of information creates a poverty of attention (the reading budget)",
        Evidence.RECALLED,
    ),
    Source(
        "Weng, Flammini, Vespignani & Menczer (2012) Competition among memes in a world with limited "
        "attention, Sci. Rep. 2:335",
        "qualitative anchor: our share falls as competitors multiply, with unchanged quality",
    ),
    Source(
        "Jones, Ravid & Rafaeli (2004) Information overload and the message dynamics of online interaction "
        "spaces, Inf. Syst. Res. 15(2):194-210",
        "overload ends active participation: the mute threshold tightens as inbound volume grows",
    ),
)
#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption(
        "every default utility, hazard and capacity is a teaching value, not an estimate from data",
        (
            "depth_value",
            "mismatch_cost",
            "noise_aversion",
            "attention_randomness",
            "mute_threshold",
            "overload_pickiness",
            "mute_softness",
            "max_mute_hazard",
            "skim_capacity",
            "reading_budget",
        ),
    ),
    Assumption("competitors are mean-field: uniform positions, lognormal volumes, one inclusive value"),
)


@dataclass(frozen=True)
class Result(DailyResult):
    """Our share of members' reading and who muted us, day by day; every array has shape ``(days,)``.

    Attributes
    ----------
    groups : (days,) ndarray of float
        Groups a member sits in besides ours, ``K(t)``.
    read_share : (days,) ndarray of float
        Mean share of a member's reading that goes to our group, in [0, 1]
        (muted members count as reading none of it).
    mute_rate : (days,) ndarray of float
        Fraction of members who have muted our group by the end of the day, in [0, 1].
    reads_per_member : (days,) ndarray of float
        Our messages read per member per day (msgs/day).
    fair_share : (days,) ndarray of float
        ``1 / (K(t) + 1)``: the share every group would get if all were equal.
    """

    params: Params
    groups: FloatArray
    read_share: FloatArray
    mute_rate: FloatArray
    reads_per_member: FloatArray
    fair_share: FloatArray

    SERIES = ("read_share", "mute_rate", "reads_per_member", "groups")

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

        ``read_share_pct`` (%), ``muted_pct`` (%), ``reads_per_member`` (msgs/day),
        ``share_vs_fair`` (our share divided by the fair share ``1/(K+1)``),
        ``groups`` (K on the last day).
        """
        last = -1
        return {
            "read_share_pct": float(100 * self.read_share[last]),
            "muted_pct": float(100 * self.mute_rate[last]),
            "reads_per_member": float(self.reads_per_member[last]),
            "share_vs_fair": float(self.read_share[last] / self.fair_share[last]),
            "groups": float(self.groups[last]),
        }


def member_utility(distance: FloatArray, width: float, volume: FloatArray | float, p: Params):
    """Utility of a group to members at circular ``distance`` from it.

    Parameters
    ----------
    distance : ndarray of float
        Circular taste distance, in circle fractions, each in [0, 0.5].
    width : float
        The group's niche width (circle fraction).
    volume : float or ndarray of float
        The group's posting volume (msgs/day); broadcasts against ``distance``.
    p : Params
        Supplies the depth, mismatch and noise weights.

    Returns
    -------
    ndarray of float
        Utility in utils.
    """
    depth = p.depth_value * np.log(p.reference_width / width)
    mismatch = p.mismatch_cost * (distance / width) ** 2
    noise = p.noise_aversion * np.log1p(np.asarray(volume) / p.volume_reference)
    return depth - mismatch - noise


def _sigmoid(x: FloatArray) -> FloatArray:
    # tanh form: no overflow warnings for large |x|
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _competitor_utilities(p: Params) -> FloatArray:
    """Utilities of the mean-field competitor on a distance x volume quadrature grid, shape ``(256,)``."""
    from statistics import NormalDist

    distances = (np.arange(COMPETITOR_DISTANCES) + 0.5) / (2 * COMPETITOR_DISTANCES)
    quantiles = (np.arange(COMPETITOR_VOLUMES) + 0.5) / COMPETITOR_VOLUMES
    z = np.array([NormalDist().inv_cdf(q) for q in quantiles])
    volumes = p.competitor_posts * np.exp(p.competitor_posts_spread * z)
    return member_utility(distances[:, None], p.competitor_width, volumes[None, :], p).ravel()


def _binned_member_utilities(p: Params, rng: np.random.Generator) -> tuple[NDArray, NDArray]:
    """Members' utilities of our group, aggregated into equal-count bins.

    Returns
    -------
    utility : (B,) ndarray of float
        Mean utility of each bin (utils).
    weight : (B,) ndarray of float
        Fraction of members in each bin; sums to 1.
    """
    taste = rng.random(p.members)
    distance = np.minimum(taste, 1.0 - taste)  # our group sits at 0 on the circle
    utility = np.sort(member_utility(distance, p.niche_width, p.posts_per_day, p))
    bins = min(UTILITY_BINS, p.members)
    edges = np.linspace(0, p.members, bins + 1).astype(np.int64)
    counts = np.diff(edges)
    sums = np.add.reduceat(utility, edges[:-1])
    return sums / counts, counts / p.members


def _inclusive_value(competitor_v: NDArray, groups: NDArray, threshold: NDArray | None, p: Params) -> NDArray:
    """Sum over competitors of exp(V/mu), counting only the unmuted part; shape like ``groups``."""
    weights = np.exp(competitor_v / p.attention_randomness)
    if threshold is None:
        return groups * weights.mean()
    unmuted = _sigmoid((competitor_v[None, :] - threshold[:, None]) / p.mute_softness)
    return groups * (weights[None, :] * unmuted).mean(axis=1)


def _mute_threshold(p: Params, groups: FloatArray) -> FloatArray:
    """``T = V_mute + omega * ln(1 + M / C)``: members grow pickier as the inbound volume ``M`` rises (utils)."""
    inbound = p.posts_per_day + groups * p.competitor_posts
    return p.mute_threshold + p.overload_pickiness * np.log1p(inbound / p.skim_capacity)


def _mute_hazard(p: Params, utility: FloatArray, threshold: FloatArray) -> FloatArray:
    """Daily probability that a member with ``utility`` (bins) mutes us under each ``threshold``, ``(bins, T)``."""
    return p.max_mute_hazard * _sigmoid((threshold[None, :] - utility[:, None]) / p.mute_softness)


def _our_share(p: Params, utility: FloatArray, inclusive: FloatArray) -> FloatArray:
    """Logit share of our group against the outside option and the competitors' inclusive value, ``(bins, T)``."""
    ours = np.exp(utility / p.attention_randomness)[:, None]
    return ours / (np.exp(p.outside_option / p.attention_randomness) + ours + inclusive[None, :])


def _simulate(p: Params, seed: int) -> Result:
    """Attention share and muting over ``p.days`` days; ``seed`` draws the members' tastes."""
    rng = np.random.default_rng(seed)
    utility, weight = _binned_member_utilities(p, rng)
    day = np.arange(p.days)
    groups = p.groups_start + p.groups_per_day * day
    threshold = _mute_threshold(p, groups)
    inclusive = _inclusive_value(_competitor_utilities(p), groups, threshold, p)  # (days,)

    # (bins, days) matrices: survival of our group (nobody muted it yet) and its share of reading
    survival = np.exp(np.cumsum(np.log1p(-_mute_hazard(p, utility, threshold)), axis=1))
    share = _our_share(p, utility, inclusive)

    read_share = weight @ (survival * share)
    mute_rate = 1.0 - weight @ survival
    reads = weight @ (survival * np.minimum(p.posts_per_day, p.reading_budget * share))
    return Result(
        params=p,
        day=day,
        groups=groups,
        read_share=read_share,
        mute_rate=np.clip(mute_rate, 0.0, 1.0),  # clip: float error can push 1 - S below 0
        reads_per_member=reads,
        fair_share=1.0 / (groups + 1.0),
    )


def share_vs_groups(params: Params, groups: FloatArray, *, muting: bool = True, seed: int = 0):
    """Day-one read share of our group as a function of the number of competing groups.

    Parameters
    ----------
    params : Params
        Model parameters (``groups_start`` and ``groups_per_day`` are ignored).
    groups : (G,) array_like of float
        Numbers of competing groups ``K``.
    muting : bool
        If False, nobody mutes anything and the overload threshold plays no role:
        the pure multinomial logit, where the independence of irrelevant
        alternatives makes our share fall like ``1/K`` once competitors dominate.
    seed : int
        Seed of the members' tastes.

    Returns
    -------
    (G,) ndarray of float
        Mean read share of our group, in [0, 1].
    """
    p = params
    groups = np.asarray(groups, dtype=float)
    utility, weight = _binned_member_utilities(p, np.random.default_rng(seed))
    competitor_v = _competitor_utilities(p)
    if muting:
        threshold = _mute_threshold(p, groups)
        inclusive = _inclusive_value(competitor_v, groups, threshold, p)
        survival = 1.0 - _mute_hazard(p, utility, threshold)
    else:
        inclusive = _inclusive_value(competitor_v, groups, None, p)
        survival = np.ones((utility.size, groups.size))
    return weight @ (survival * _our_share(p, utility, inclusive))


MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
