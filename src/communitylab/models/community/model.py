"""The capstone: the six pillars of a community coupled into one plan.

The article the course follows (2016) names what a community dies without: a
personal brand, a closed-loop service system, strong participation and a way to
earn money; the course adds the two choices it argues around them, a sharp
positioning and the platform. An operator makes a handful of choices per pillar
and the pillars hand their results on, each through the other module's own
functions (nothing is re-implemented here; the steps are in :mod:`.pillars`):

1. **Positioning -> attention** (:mod:`~communitylab.models.attention`, lab 01). The niche
   width and the operator's posts per day give the share of members' reading our
   group gets, ``read_share(t)``, and the share who mute it.
2. **Attention -> participation** (:mod:`~communitylab.models.participation`, lab 03).
   Members post in proportion to the attention they give the group: the participation
   model's typical posting rate is multiplied by ``mean(read_share) / mean(read_share of
   the default positioning)``. Check-in and moderators are its own interventions.
3. **Personal brand** (:mod:`~communitylab.models.brand`, lab 05). The operator's followers
   and the reach of a post give the expected join attempts of one QR-code launch,
   ``A = F * reach * join / (1 - R)`` (the brand model's direct wave and its forwarding
   cascade's mean), and the share of a 500-seat group it fills, ``min(1, A / 500)``.
4. **Participation and brand -> service loop** (:mod:`~communitylab.models.service_loop`, lab 02).
   The followers are the addressable audience; the outreach (Bass innovation rate) is the
   loop's default 0.03/yr scaled by the launch's fill share relative to the default plan's;
   only engaged members talk about the community: word of mouth is the Bass average
   ``q = 0.38/yr`` (Sultan, Farley & Lehmann 1990) times the group's mean engaged share.
   Follow-up and loop closure are the service loop's own levers.
5. **Platform choice** (:mod:`~communitylab.models.migration`, lab 06). A WeChat group only,
   or an app with WeChat kept as the traffic source, where the migration model moves the
   group's members in campaigns. Members read 30 % of a WeChat group and 70 % of the app
   (the migration model's read shares).
6. **Service loop and platform -> revenue** (:mod:`~communitylab.models.monetization`, lab 04).
   The community's members are the free audience: the monetization model starts from the
   members on day 0 (at least 100), adds the loop's average daily acquisitions and loses
   free members at the loop's realised churn rate; members see the paid offer in proportion
   to what they read of their channel (its conversion ceiling times ``reading / 0.3``); then
   the operator's price and selling intensity apply.

**Health score** [assumption]: the geometric mean of six shares, times 100 -- members
still listening (1 - mute rate, attention), members engaged in the group (participation),
loyal share of members (service loop), unit economics ``min(1, LTV/CAC / 3)``
(monetization; 3 is the practitioner rule of thumb), the share of a group one launch
fills (brand) and the share of their channel members read (platform). Each share counts
at least :data:`SHARE_FLOOR`. The geometric mean makes a plan that starves one pillar
score below a balanced one with the same arithmetic mean: a community dies of its
weakest pillar, the article's argument; the equal weights are a course choice, not a finding.

Every coupling is a course assumption (listed in :data:`ASSUMPTIONS`); every pillar's own
anchors are tested in its own module. The seed of a run is the group's (see :mod:`.pillars`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from communitylab.models import monetization, participation, service_loop
from communitylab.models._model import Assumption, DailyResult, FloatArray, Model, ModelResult
from communitylab.models._params import ModelParams, flag, param, run_days
from communitylab.models.community import pillars as steps

__all__ = [
    "MODEL",
    "Params",
    "Result",
    "simulate",
    "sweep",
    "pillar_params",
    "health_components",
    "health_score",
    "PILLARS",
    "ASSUMPTIONS",
]

#: The six pillars of the health score, in course order (lessons 01-06), each named after its model.
PILLARS: tuple[str, ...] = ("attention", "service_loop", "participation", "monetization", "brand", "migration")
#: Rule-of-thumb LTV/CAC at which the economics share is full.
LTV_CAC_TARGET = 3.0
#: Least share a pillar counts with in the geometric mean [assumption]: a dead pillar (an empty group) scores
#: 1 %, so the score stays defined and a plan that revives it from 0 to 1 % is not worth more than from 1 to 10 %.
SHARE_FLOOR = 0.01
ATTENTION_SAMPLE = steps.ATTENTION_SAMPLE


@dataclass(frozen=True)
class Params(ModelParams):
    """The operator's plan: a few choices per pillar. Defaults reproduce each lab's defaults where they can."""

    model: ClassVar[str] = "community"

    # Positioning and attention (lab 01)
    niche_width: float = param(0.10, unit="circle fraction", lo=0.02, hi=0.5, step=0.01, group="positioning")
    posts_per_day: float = param(20.0, unit="msgs/day", lo=1, hi=200, step=1, group="positioning", log=True)
    # Service loop (lab 02)
    follow_up_share: float = param(0.5, unit="fraction", lo=0, hi=1, step=0.05, group="service")
    loop_closure: float = param(1.0, unit="fraction", lo=0, hi=1, step=0.05, group="service")
    # Participation (lab 03)
    group_members: int = param(500, unit="members", lo=10, hi=500, step=10, integer=True, group="participation")
    checkin: bool = flag(False, group="participation")
    moderators: int = param(0, unit="people", lo=0, hi=50, step=1, integer=True, group="participation")
    # Revenue (lab 04)
    price: float = param(30.0, unit="¥/month", lo=1, hi=500, step=1, group="revenue", log=True)
    selling_intensity: float = param(0.3, unit="0-2", lo=0, hi=2, step=0.05, group="revenue")
    # Personal brand (lab 05)
    followers: int = param(10_000, unit="people", lo=100, hi=1_000_000, step=100, integer=True, group="brand", log=True)
    reach: float = param(0.3, unit="fraction", lo=0.01, hi=1, step=0.01, group="brand")
    # Platform (lab 06)
    app: bool = flag(False, group="platform")
    mini_program: bool = flag(False, group="platform")
    campaign_every_days: int = param(7, unit="days", lo=1, hi=90, step=1, integer=True, group="platform")
    # Simulation
    days: int = run_days(lo=90)


#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption("members post in proportion to the attention they give the group (step 2)", ("posting_multiplier",)),
    Assumption(
        "the followers are the addressable audience, and one launch's fill share scales the loop's outreach (steps 3-4)",
        ("followers", "reach", "outreach_rate"),
    ),
    Assumption(
        "word of mouth is the Bass average times the share of the group's members who are engaged (step 4)",
        ("word_of_mouth",),
    ),
    Assumption(
        "the platform pillar moves the participation group; members see a paid offer in proportion to what they "
        "read of their channel (steps 5-6)",
        ("app", "mini_program", "campaign_every_days", "moved_share"),
    ),
    Assumption("the community's members are the free audience of the paid offer, with the loop's churn (step 6)"),
    Assumption(
        "the health score: the geometric mean of six shares with equal weights, each at least 1 %, unit economics "
        "full at LTV/CAC = 3",
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
    word_of_mouth, outreach_rate : float
        Bass imitation and innovation rates handed to the service loop (1/yr, step 4).
    launch_attempts, fill_share : float
        Brand pillar: expected join attempts of one QR launch (people) and the share of a group it fills.
    moved_share, reading_share : float
        Platform pillar: members in the app (0-1) and the share of their channel members read (0-1).
    pillars : dict of str to Result
        Each pillar model's own result, keyed by its name (``migration`` only with the app), for a closer look.
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
    outreach_rate: float
    launch_attempts: float
    fill_share: float
    moved_share: float
    reading_share: float
    pillars: dict[str, ModelResult]

    SERIES = ("read_share", "mute_rate", "posts_per_day", "engaged", "members", "loyal", "paid", "revenue")

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

        ``members`` (people), ``engaged`` (engaged members of the group),
        ``loyal_share_pct`` (% of members), ``read_share_pct`` (% of members'
        reading), ``paid_members`` (people), ``revenue`` (¥ over the run),
        ``ltv_cac`` (ratio), ``fill_pct`` (% of a group one launch fills),
        ``moved_pct`` (% of members in the app) and ``health_score`` (0-100, see the module docstring).
        """
        money = self.pillars["monetization"].summary()
        components = health_components(self)
        return {
            "members": float(self.members[-1]),
            "engaged": float(self.engaged[-1]),
            "loyal_share_pct": float(100 * components["service_loop"]),
            "read_share_pct": float(100 * self.read_share[-1]),
            "paid_members": float(self.paid[-1]),
            "revenue": float(money["revenue"]),
            "ltv_cac": float(money["ltv_cac"]),
            "fill_pct": float(100 * self.fill_share),
            "moved_pct": float(100 * self.moved_share),
            "health_score": health_score(components),
        }


def economics_share(ltv_cac: float) -> float:
    """``min(1, LTV/CAC / 3)``, 0 for a missing or negative ratio."""
    return float(min(1.0, max(0.0, ltv_cac) / LTV_CAC_TARGET)) if np.isfinite(ltv_cac) or ltv_cac > 0 else 0.0


def health_components(result: Result) -> dict[str, float]:
    """The six shares behind the health score, each in [0, 1] on the last day, keyed by :data:`PILLARS`.

    ``attention`` = 1 - mute rate; ``service_loop`` = loyal / members; ``participation`` = engaged /
    group members; ``monetization`` = min(1, LTV/CAC / 3); ``brand`` = share of a group one launch fills;
    ``migration`` = share of their channel the members read.
    """
    members = float(result.members[-1])
    ltv_cac = float(result.pillars["monetization"].summary()["ltv_cac"])
    shares = {
        "attention": float(1.0 - result.mute_rate[-1]),
        "service_loop": float(result.loyal[-1] / members) if members > 0 else 0.0,
        "participation": float(result.engaged[-1] / result.params.group_members),
        "monetization": economics_share(ltv_cac),
        "brand": float(result.fill_share),
        "migration": float(result.reading_share),
    }
    return {name: shares[name] for name in PILLARS}


def health_score(components: dict[str, float]) -> float:
    """The health score, ``100 * (prod_k max(s_k, floor)) ** (1/6)``, from :func:`health_components` (0-100)."""
    logs = [math.log(max(SHARE_FLOOR, min(1.0, components[name]))) for name in PILLARS]
    return float(100.0 * math.exp(sum(logs) / len(logs)))


def pillar_params(plan: Params, seed: int = 0) -> dict[str, ModelParams]:
    """The pillar models' parameters a plan implies, running the pillars in order (for inspection)."""
    return {name: result.params for name, result in _simulate(plan, seed).pillars.items()}


def _simulate(plan: Params, seed: int) -> Result:
    """The pillars of a plan in order, each feeding the next; ``seed`` is the group's (see :mod:`.pillars`)."""
    heard = steps.attention_step(plan)
    launch = steps.brand_step(plan)
    venue = steps.platform_step(plan)
    group = participation.simulate(steps.participation_params(plan, heard), seed=seed)
    share = float(steps.engaged_share(group.engaged, plan.group_members))
    service = service_loop.simulate(steps.service_params(plan, share, launch), seed=seed)
    members = service.members
    audience = steps.free_audience(members[0], service.joined[-1], service.churned[-1], members.sum(), plan.days)
    money = monetization.simulate(steps.monetization_params(plan, audience, venue), seed=seed)
    results: dict[str, ModelResult] = {
        "attention": heard.result,
        "service_loop": service,
        "participation": group,
        "monetization": money,
    }
    if venue.result is not None:
        results["migration"] = venue.result
    return Result(
        params=plan,
        day=np.arange(plan.days),
        read_share=heard.result.read_share,
        mute_rate=heard.result.mute_rate,
        posts_per_day=group.posts_per_day,
        engaged=group.engaged,
        members=members,
        loyal=service.loyal,
        paid=money.paid,
        revenue=money.revenue,
        posting_multiplier=heard.posting_multiplier,
        word_of_mouth=service.params.word_of_mouth,
        outreach_rate=launch.outreach_rate,
        launch_attempts=launch.attempts,
        fill_share=launch.fill_share,
        moved_share=venue.moved_share,
        reading_share=venue.reading_share,
        pillars=results,
    )


MODEL = Model(Params, Result, _simulate, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
