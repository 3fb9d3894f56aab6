"""The capstone: the four pillars of a community coupled into one plan.

An operator makes a handful of choices (how sharp a niche, how much to post,
whether to run a daily check-in, how many moderators, how much personal
follow-up, whether to close the feedback loop, what price, how hard to sell)
and the pillars hand their results down a chain, each through the other
module's own functions (nothing is re-implemented here):

1. **Positioning -> attention** (:mod:`~communitylab.models.attention`). The niche
   width and the operator's posts per day give the share of members' reading our
   group gets, ``read_share(t)``, and the share who mute it.
2. **Attention -> participation** (:mod:`~communitylab.models.participation`).
   Members post in proportion to the attention they give the group: the
   participation model's typical posting rate is multiplied by
   ``mean(read_share) / mean(read_share of the default positioning)``, so the
   default plan posts exactly like the participation lab. Check-in and
   moderators are the participation model's own interventions.
3. **Participation -> service loop** (:mod:`~communitylab.models.service_loop`).
   Only engaged members talk about the community: word of mouth is the Bass
   average ``q = 0.38/yr`` (Sultan, Farley & Lehmann 1990) times the mean share of
   the group's members who are engaged. Follow-up and loop closure are the
   service loop's own levers.
4. **Service loop -> revenue** (:mod:`~communitylab.models.monetization`). The
   community's members are the free audience: the monetization model starts
   from the members on day 0 (at least 100, its smallest audience), adds the loop's average daily acquisitions and
   loses free members at the loop's realised churn rate, then applies the
   operator's price and selling intensity.

**Health score** [assumption]: the mean of four shares, times 100 -- members still
listening (1 - mute rate, attention), members engaged in the group
(participation), loyal share of members (service loop) and unit economics
``min(1, LTV/CAC / 3)`` (monetization; 3 is the practitioner rule of thumb).
Equal weights are a course choice, not a finding: a community can score well on
one pillar and still fail; the score only shows which pillar drags.

Each coupling is a course assumption [assumption]; every pillar's own anchors are
tested in its own module. Reference runs for the normalisation in step 2 use
seed 0 and are cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models import attention, monetization, participation, service_loop
from communitylab.models._params import ModelParams, flag, param
from communitylab.models._sweep import sweep_model

__all__ = ["Params", "Result", "simulate", "sweep", "pillar_params", "health_components"]

#: Members sampled for the attention pillar: its read share is a per-member
#: average over 512 utility bins, so a larger sample changes nothing but the cost.
ATTENTION_SAMPLE = 2000
#: Rule-of-thumb LTV/CAC at which the economics component of health is full.
LTV_CAC_TARGET = 3.0


@dataclass(frozen=True)
class Params(ModelParams):
    """The operator's plan: a few choices, one per pillar, with defaults that reproduce each lab's defaults."""

    model: ClassVar[str] = "community"

    # Positioning and attention
    niche_width: float = param(0.10, unit="circle fraction", lo=0.02, hi=0.5, step=0.01, group="positioning")
    posts_per_day: float = param(20.0, unit="msgs/day", lo=1, hi=200, step=1, group="positioning", log=True)
    # Participation
    group_members: int = param(500, unit="members", lo=10, hi=500, step=10, integer=True, group="participation")
    checkin: bool = flag(False, group="participation")
    moderators: int = param(0, unit="people", lo=0, hi=50, step=1, integer=True, group="participation")
    # Service loop
    audience: int = param(10_000, unit="people", lo=100, hi=1_000_000, integer=True, group="service", log=True)
    follow_up_share: float = param(0.5, unit="fraction", lo=0, hi=1, step=0.05, group="service")
    loop_closure: float = param(1.0, unit="fraction", lo=0, hi=1, step=0.05, group="service")
    # Revenue
    price: float = param(30.0, unit="¥/month", lo=1, hi=500, step=1, group="revenue", log=True)
    selling_intensity: float = param(0.3, unit="0-2", lo=0, hi=2, step=0.05, group="revenue")
    # Simulation
    days: int = param(365, unit="days", lo=90, hi=730, step=5, integer=True, group="simulation")


@dataclass(frozen=True)
class Result:
    """One run of the coupled plan. Daily arrays have shape ``(days,)``.

    Attributes
    ----------
    params : Params
        The plan.
    day : (days,) ndarray of int
        Day index.
    read_share, mute_rate : (days,) ndarray of float
        Attention pillar: our share of members' reading and the share who muted us (0-1).
    posts_per_day, engaged : (days,) ndarray of float
        Participation pillar: posts in the group and engaged members of the group.
    members, loyal : (days,) ndarray of float
        Service-loop pillar: community members and loyal members.
    paid, revenue : (days,) ndarray of float
        Revenue pillar: paying members and cash collected per day (¥/day).
    posting_multiplier : float
        Factor applied to the participation model's posting rate (step 2).
    word_of_mouth : float
        Word-of-mouth rate handed to the service loop (1/yr, step 3).
    pillars : dict
        The four pillar results (``attention``, ``participation``, ``service_loop``,
        ``monetization``) for a closer look.
    """

    params: Params
    day: NDArray[np.int64]
    read_share: NDArray[np.float64]
    mute_rate: NDArray[np.float64]
    posts_per_day: NDArray[np.float64]
    engaged: NDArray[np.float64]
    members: NDArray[np.float64]
    loyal: NDArray[np.float64]
    paid: NDArray[np.float64]
    revenue: NDArray[np.float64]
    posting_multiplier: float
    word_of_mouth: float
    pillars: dict[str, Any]

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

        Returns
        -------
        dict
            ``members`` (people), ``engaged`` (engaged members of the group),
            ``loyal_share_pct`` (% of members), ``read_share_pct`` (% of members'
            reading), ``paid_members`` (people), ``revenue`` (¥ over the run),
            ``ltv_cac`` (ratio) and ``health_score`` (0-100, see the module docstring).
        """
        money = self.pillars["monetization"].summary()
        components = health_components(self)
        return {
            "members": float(self.members[-1]),
            "engaged": float(self.engaged[-1]),
            "loyal_share_pct": float(100 * components["loyalty"]),
            "read_share_pct": float(100 * self.read_share[-1]),
            "paid_members": float(self.paid[-1]),
            "revenue": float(money["revenue"]),
            "ltv_cac": float(money["ltv_cac"]),
            "health_score": float(100 * np.mean(list(components.values()))),
        }

    def series(self) -> dict[str, NDArray[np.float64]]:
        """The per-day series by name (for tables and charts)."""
        return {
            "read_share": self.read_share,
            "mute_rate": self.mute_rate,
            "posts_per_day": self.posts_per_day,
            "engaged": self.engaged,
            "members": self.members,
            "loyal": self.loyal,
            "paid": self.paid,
            "revenue": self.revenue,
        }


def health_components(result: Result) -> dict[str, float]:
    """The four shares behind the health score, each in [0, 1], on the last day.

    ``listening`` = 1 - mute rate; ``engagement`` = engaged / group members;
    ``loyalty`` = loyal / members; ``economics`` = min(1, LTV/CAC / 3).
    """
    members = float(result.members[-1])
    ltv_cac = float(result.pillars["monetization"].summary()["ltv_cac"])
    return {
        "listening": float(1.0 - result.mute_rate[-1]),
        "engagement": float(result.engaged[-1] / result.params.group_members),
        "loyalty": float(result.loyal[-1] / members) if members > 0 else 0.0,
        "economics": float(min(1.0, max(0.0, ltv_cac) / LTV_CAC_TARGET)) if np.isfinite(ltv_cac) else 0.0,
    }


@cache
def _reference_read_share(days: int) -> float:
    """Mean read share of the attention model's default positioning (seed 0)."""
    reference = attention.simulate(attention.Params(members=ATTENTION_SAMPLE, days=days), seed=0)
    return float(reference.read_share.mean())


def _clip(value: float, params_class: type[ModelParams], field: str) -> float:
    spec = params_class.specs()[field]
    return float(min(spec.hi, max(spec.lo, value)))


def pillar_params(plan: Params, seed: int = 0) -> dict[str, ModelParams]:
    """The pillar parameters a plan implies, running the pillars in order (for inspection).

    Returns a dict with ``attention``, ``participation``, ``service_loop`` and
    ``monetization`` parameter objects; see :func:`simulate` for the coupling.
    """
    return _run(plan, seed)[0]


def _run(plan: Params, seed: int) -> tuple[dict[str, ModelParams], dict[str, Any], float, float]:
    p = plan
    # 1. positioning -> attention
    attention_params = attention.Params(
        niche_width=p.niche_width, posts_per_day=p.posts_per_day, members=ATTENTION_SAMPLE, days=p.days
    )
    heard = attention.simulate(attention_params, seed=seed)
    # 2. attention -> participation: members post in proportion to the attention they give us
    multiplier = float(heard.read_share.mean()) / _reference_read_share(p.days)
    base = participation.Params()
    participation_params = participation.Params(
        members=p.group_members,
        median_post_rate=_clip(base.median_post_rate * multiplier, participation.Params, "median_post_rate"),
        checkin=p.checkin,
        moderators=p.moderators,
        days=p.days,
    )
    group = participation.simulate(participation_params, seed=seed)
    # 3. participation -> service loop: only engaged members spread the word
    engaged_share = float(np.mean(group.engaged)) / p.group_members
    word_of_mouth = _clip(service_loop.Params().word_of_mouth * engaged_share, service_loop.Params, "word_of_mouth")
    service_params = service_loop.Params(
        market_size=p.audience,
        founding_members=min(service_loop.Params().founding_members, p.audience),
        word_of_mouth=word_of_mouth,
        follow_up_share=p.follow_up_share,
        loop_closure=p.loop_closure,
        days=p.days,
    )
    service = service_loop.simulate(service_params, seed=seed)
    # 4. service loop -> revenue: the community's members are the free audience
    members = service.members
    churn_rate = float(service.churned[-1]) / max(float(members.sum()), 1e-9)  # leavers per member-day
    money_params = monetization.Params(
        free_members=round(_clip(float(members[0]), monetization.Params, "free_members")),
        daily_inflow=_clip(float(service.joined[-1]) / p.days, monetization.Params, "daily_inflow"),
        free_churn=_clip(churn_rate, monetization.Params, "free_churn"),
        price=p.price,
        selling_intensity=p.selling_intensity,
        days=p.days,
    )
    money = monetization.simulate(money_params, seed=seed)
    params = {
        "attention": attention_params,
        "participation": participation_params,
        "service_loop": service_params,
        "monetization": money_params,
    }
    results = {"attention": heard, "participation": group, "service_loop": service, "monetization": money}
    return params, results, multiplier, word_of_mouth


def simulate(params: Params, seed: int = 0) -> Result:
    """Run the four pillars of a plan in order, each feeding the next.

    Parameters
    ----------
    params : Params
        The operator's plan.
    seed : int
        Seed handed to every pillar; same seed and plan give identical output.

    Returns
    -------
    Result
        The coupled trajectory and each pillar's own result.
    """
    _, results, multiplier, word_of_mouth = _run(params, seed)
    heard, group, service, money = (results[k] for k in ("attention", "participation", "service_loop", "monetization"))
    return Result(
        params=params,
        day=np.arange(params.days),
        read_share=heard.read_share,
        mute_rate=heard.mute_rate,
        posts_per_day=group.posts_per_day,
        engaged=group.engaged,
        members=service.members,
        loyal=service.loyal,
        paid=money.paid,
        revenue=money.revenue,
        posting_multiplier=multiplier,
        word_of_mouth=word_of_mouth,
        pillars=results,
    )


def sweep(params: Params, field: str, values, runs: int = 1, seed: int = 0, progress: bool | None = None):
    """Summaries of runs over values of one plan choice, as a tidy DataFrame (see :func:`sweep_model`)."""
    return sweep_model(simulate, params, field, values, runs=runs, seed=seed, progress=progress)
