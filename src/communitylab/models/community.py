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

Each coupling is a course assumption (listed in :data:`ASSUMPTIONS`); every pillar's own
anchors are tested in its own module. Reference runs for the normalisation in
step 2 use seed 0 and are cached.

Each step is one function below (``_attention_pillar`` ... ``_revenue_pillar``) that
takes the plan and what the pillars before it produced; a new pillar is one more
such function, one more entry in :data:`PILLARS` and, if it should count in the
score, one more health component.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np

from communitylab.models import attention, monetization, participation, service_loop
from communitylab.models._model import Assumption, DailyResult, FloatArray, Model, ModelResult
from communitylab.models._params import ModelParams, flag, param, run_days

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "pillar_params", "health_components", "PILLARS"]

#: The pillars in the order each hands its result to the next.
PILLARS: tuple[str, ...] = ("attention", "participation", "service_loop", "monetization")

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
    days: int = run_days(lo=90)


#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption("members post in proportion to the attention they give the group (step 2)", ("posting_multiplier",)),
    Assumption(
        "word of mouth is the Bass average times the share of the group's members who are engaged (step 3)",
        ("word_of_mouth",),
    ),
    Assumption("the community's members are the free audience of the paid offer, with the loop's churn (step 4)"),
    Assumption(
        "the health score: the mean of four shares with equal weights, unit economics full at LTV/CAC = 3",
        ("health_score",),
    ),
)


@dataclass(frozen=True)
class Result(DailyResult):
    """One run of the coupled plan: each pillar's headline series, day by day, shape ``(days,)``.

    Attributes
    ----------
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
    pillars : dict of str to Result
        Each pillar's own result, keyed by the names in :data:`PILLARS`, for a closer look.
    """

    params: Params
    read_share: FloatArray
    mute_rate: FloatArray
    posts_per_day: FloatArray
    engaged: FloatArray
    members: FloatArray
    loyal: FloatArray
    paid: FloatArray
    revenue: FloatArray
    posting_multiplier: float
    word_of_mouth: float
    pillars: dict[str, ModelResult]

    SERIES = (
        "read_share",
        "mute_rate",
        "posts_per_day",
        "engaged",
        "members",
        "loyal",
        "paid",
        "revenue",
    )

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

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


def pillar_params(plan: Params, seed: int = 0) -> dict[str, ModelParams]:
    """The pillar parameters a plan implies, running the pillars in order (for inspection).

    Returns a dict with a parameter object for each name in :data:`PILLARS`; see
    :func:`simulate` for the coupling.
    """
    return {name: result.params for name, result in _run(plan, seed)[0].items()}


def _attention_pillar(plan: Params, seed: int) -> attention.Result:
    """Step 1, positioning -> attention: the plan's niche and posting volume in the attention model."""
    params = attention.Params(
        niche_width=plan.niche_width, posts_per_day=plan.posts_per_day, members=ATTENTION_SAMPLE, days=plan.days
    )
    return attention.simulate(params, seed=seed)


def _participation_pillar(plan: Params, heard: attention.Result, seed: int) -> tuple[participation.Result, float]:
    """Step 2, attention -> participation: members post in proportion to the attention they give us.

    Returns the participation result and the posting multiplier applied.
    """
    multiplier = float(heard.read_share.mean()) / _reference_read_share(plan.days)
    rate = participation.Params().median_post_rate * multiplier
    params = participation.Params(
        members=plan.group_members,
        median_post_rate=participation.Params.clip("median_post_rate", rate),
        checkin=plan.checkin,
        moderators=plan.moderators,
        days=plan.days,
    )
    return participation.simulate(params, seed=seed), multiplier


def _service_pillar(plan: Params, group: participation.Result, seed: int) -> tuple[service_loop.Result, float]:
    """Step 3, participation -> service loop: only engaged members spread the word.

    Returns the service-loop result and the word-of-mouth rate handed to it (1/yr).
    """
    engaged_share = float(np.mean(group.engaged)) / plan.group_members
    defaults = service_loop.Params()
    word_of_mouth = service_loop.Params.clip("word_of_mouth", defaults.word_of_mouth * engaged_share)
    params = service_loop.Params(
        market_size=plan.audience,
        founding_members=min(defaults.founding_members, plan.audience),
        word_of_mouth=word_of_mouth,
        follow_up_share=plan.follow_up_share,
        loop_closure=plan.loop_closure,
        days=plan.days,
    )
    return service_loop.simulate(params, seed=seed), word_of_mouth


def _revenue_pillar(plan: Params, service: service_loop.Result, seed: int) -> monetization.Result:
    """Step 4, service loop -> revenue: the community's members are the free audience."""
    members = service.members
    churn_rate = float(service.churned[-1]) / max(float(members.sum()), 1e-9)  # leavers per member-day
    money = monetization.Params
    params = money(
        free_members=round(money.clip("free_members", float(members[0]))),
        daily_inflow=money.clip("daily_inflow", float(service.joined[-1]) / plan.days),
        free_churn=money.clip("free_churn", churn_rate),
        price=plan.price,
        selling_intensity=plan.selling_intensity,
        days=plan.days,
    )
    return monetization.simulate(params, seed=seed)


def _run(plan: Params, seed: int) -> tuple[dict[str, ModelResult], float, float]:
    """Every pillar in :data:`PILLARS` order; returns their results, the posting multiplier and word of mouth."""
    heard = _attention_pillar(plan, seed)
    group, multiplier = _participation_pillar(plan, heard, seed)
    service, word_of_mouth = _service_pillar(plan, group, seed)
    money = _revenue_pillar(plan, service, seed)
    results = {"attention": heard, "participation": group, "service_loop": service, "monetization": money}
    return results, multiplier, word_of_mouth


def _simulate(plan: Params, seed: int) -> Result:
    """The pillars of a plan in order, each feeding the next; ``seed`` is handed to every pillar."""
    results, multiplier, word_of_mouth = _run(plan, seed)
    heard, group, service, money = (results[name] for name in PILLARS)
    return Result(
        params=plan,
        day=np.arange(plan.days),
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


MODEL = Model(Params, Result, _simulate, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
