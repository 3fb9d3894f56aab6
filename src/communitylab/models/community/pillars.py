"""The six pillars of the capstone, one step each, every step through the pillar model's own functions.

Each step takes the plan (and what the steps before it produced) and returns the
pillar model's result or the numbers the chain hands on. Steps whose outcome does
not depend on the run's seed (:func:`attention_step`, :func:`brand_step`,
:func:`platform_step`) are cached by the levers they read, so scoring many seeds
of a plan, or many plans that share a pillar's levers, runs each of them once.

Why those three do not take the run's seed: the attention model's seed draws a
sample of 2,000 tastes standing for the whole audience (a quadrature of the taste
distribution), the migration model's seed draws the motivations of the group's
members for an expected-value funnel, and the brand pillar reads the brand model's
expected join attempts, which have no randomness. The seed of a capstone run is
the seed of the group itself: who its members are (participation), and everything
downstream of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from communitylab.models import attention, brand, migration, monetization, participation, service_loop

if TYPE_CHECKING:
    from communitylab.models.community.model import Params

__all__ = [
    "ATTENTION_SAMPLE",
    "FIXED_SEED",
    "Attention",
    "Brand",
    "Platform",
    "attention_step",
    "brand_step",
    "platform_step",
    "participation_params",
    "word_of_mouth",
    "service_params",
    "free_audience",
    "offer_conversion",
    "monetization_params",
    "engaged_share",
]

#: Members sampled for the attention pillar: its read share is a per-member
#: average over 512 utility bins, so a larger sample changes nothing but the cost.
ATTENTION_SAMPLE = 2000
#: Seed of the pillars whose randomness is a sample standing for a population (see the module docstring).
FIXED_SEED = 0
#: Cached plan-level pillar runs kept at once (a room of 40 teams with a few resubmissions each fits).
CACHE_SIZE = 512


@dataclass(frozen=True)
class Attention:
    """Step 1's outcome: the attention model's run, its share for the score and the posting multiplier.

    Attributes
    ----------
    result : attention.Result
        The attention model's own run.
    listening : float
        1 - the mute rate on the last day (0-1): the attention pillar's share.
    posting_multiplier : float
        Mean read share over the default positioning's mean read share: the factor on members' posting.
    """

    result: attention.Result
    listening: float
    posting_multiplier: float


@dataclass(frozen=True)
class Brand:
    """The personal brand's outcome: what one QR-code launch brings.

    Attributes
    ----------
    params : brand.Params
        The brand model's parameters the plan implies.
    attempts : float
        Expected join attempts of one launch, direct scans and forwards (people); ``inf`` if ``R >= 1``.
    fill_share : float
        ``min(1, attempts / seats)``: the share of a group's seats one launch can fill (0-1), the brand pillar's share.
    outreach_rate : float
        Bass innovation rate handed to the service loop (1/yr).
    """

    params: brand.Params
    attempts: float
    fill_share: float
    outreach_rate: float


@dataclass(frozen=True)
class Platform:
    """The platform choice's outcome.

    Attributes
    ----------
    result : migration.Result or None
        The migration model's run when the plan moves the group to an app; ``None`` for a WeChat group only.
    moved_share : float
        Members in the app over members in either channel on the last day (0-1).
    reading_share : float
        Share of their channel's messages members read, weighted by where they are (0-1), the pillar's share.
    offer_reach : float
        ``reading_share / read_wechat``: how much more of a paid offer members see than in the WeChat group alone.
    """

    result: migration.Result | None
    moved_share: float
    reading_share: float
    offer_reach: float


def _attention_params(niche_width: float, posts_per_day: float, days: int) -> attention.Params:
    return attention.Params(niche_width=niche_width, posts_per_day=posts_per_day, members=ATTENTION_SAMPLE, days=days)


@lru_cache(maxsize=CACHE_SIZE)
def _attention(niche_width: float, posts_per_day: float, days: int) -> Attention:
    heard = attention.simulate(_attention_params(niche_width, posts_per_day, days), seed=FIXED_SEED)
    reference = _reference_read_share(days)
    return Attention(heard, float(1.0 - heard.mute_rate[-1]), float(heard.read_share.mean()) / reference)


@lru_cache(maxsize=8)
def _reference_read_share(days: int) -> float:
    """Mean read share of the attention model's default positioning."""
    defaults = attention.Params()
    heard = attention.simulate(_attention_params(defaults.niche_width, defaults.posts_per_day, days), seed=FIXED_SEED)
    return float(heard.read_share.mean())


def attention_step(plan: Params) -> Attention:
    """Step 1, positioning -> attention: the plan's niche and posting volume in the attention model."""
    return _attention(plan.niche_width, plan.posts_per_day, plan.days)


def _launch_attempts(params: brand.Params) -> float:
    """Expected join attempts of one launch: direct scans, each bringing ``1 / (1 - R)`` people with its forwards.

    The Galton-Watson mean the brand model's tests check (Kempe, Kleinberg & Tardos 2003); ``inf`` when ``R >= 1``.
    """
    r = params.reproduction_number
    return float(params.expected_direct / (1.0 - r)) if r < 1.0 else float("inf")


@lru_cache(maxsize=CACHE_SIZE)
def _brand(followers: int, reach: float) -> Brand:
    params = brand.Params(followers=followers, reach=reach)
    attempts = _launch_attempts(params)
    fill = min(1.0, attempts / params.seats)
    defaults = brand.Params()
    reference = min(
        1.0, _launch_attempts(brand.Params(followers=REFERENCE_FOLLOWERS, reach=defaults.reach)) / defaults.seats
    )
    outreach = service_loop.Params.clip("outreach_rate", service_loop.Params().outreach_rate * fill / reference)
    return Brand(params, attempts, fill, outreach)


#: Followers of the default plan: with the brand model's default reach and joining, one launch brings 86 % of a
#: group of 500, and the service loop then runs at its own default outreach (its audience of 10,000 people).
REFERENCE_FOLLOWERS = 10_000


def brand_step(plan: Params) -> Brand:
    """The personal brand: the plan's followers and reach in the brand model give what one QR launch brings.

    The share of a group one launch fills scales the service loop's outreach (Bass innovation rate) relative to
    the default plan, whose followers are the service loop's default audience.
    """
    return _brand(plan.followers, plan.reach)


@lru_cache(maxsize=CACHE_SIZE)
def _platform(app: bool, mini_program: bool, campaign_every_days: int, group_members: int, days: int) -> Platform:
    defaults = migration.Params()
    if not app:
        return Platform(None, 0.0, defaults.read_wechat, 1.0)
    params = migration.Params(
        members=max(migration.Params.specs()["members"].lo, group_members),
        mini_program=mini_program,
        campaign_every_days=campaign_every_days,
        days=days,
    )
    moved = migration.simulate(params, seed=FIXED_SEED)
    wechat_only, in_app = float(moved.wechat_only[-1]), float(moved.in_app[-1])
    total = wechat_only + in_app
    reading = (wechat_only * params.read_wechat + in_app * params.read_app) / total if total > 0 else params.read_wechat
    return Platform(moved, in_app / total if total > 0 else 0.0, reading, reading / params.read_wechat)


def platform_step(plan: Params) -> Platform:
    """The platform choice: a WeChat group only, or an app with WeChat kept as the traffic source.

    With the app, the migration model moves the group's members in campaigns (a mini-program lowers the install
    friction); members in the app read more of what it carries (the migration model's read shares).
    """
    return _platform(plan.app, plan.mini_program, plan.campaign_every_days, plan.group_members, plan.days)


def participation_params(plan: Params, heard: Attention) -> participation.Params:
    """Step 2, attention -> participation: members post in proportion to the attention they give the group."""
    rate = participation.Params().median_post_rate * heard.posting_multiplier
    return participation.Params(
        members=plan.group_members,
        median_post_rate=participation.Params.clip("median_post_rate", rate),
        checkin=plan.checkin,
        moderators=plan.moderators,
        days=plan.days,
    )


def _clip(model, name: str, value):
    """``value`` (a float or an array) moved into parameter ``name``'s range, as ``Params.clip`` does."""
    spec = model.Params.spec(name)
    return np.clip(value, spec.lo, spec.hi)


def word_of_mouth(engaged_share):
    """Bass imitation rate for the service loop: the loop's default ``q`` times the group's mean engaged share (1/yr)."""
    return _clip(service_loop, "word_of_mouth", service_loop.Params().word_of_mouth * np.asarray(engaged_share))


def service_params(plan: Params, engaged_share: float, launch: Brand) -> service_loop.Params:
    """Step 3, participation and brand -> service loop.

    Only engaged members spread the word (:func:`word_of_mouth`); the followers are the audience and the brand's
    launch sets the outreach.
    """
    defaults = service_loop.Params()
    audience = round(service_loop.Params.clip("market_size", plan.followers))
    return service_loop.Params(
        market_size=audience,
        outreach_rate=launch.outreach_rate,
        founding_members=min(defaults.founding_members, audience),
        word_of_mouth=float(word_of_mouth(engaged_share)),
        follow_up_share=plan.follow_up_share,
        loop_closure=plan.loop_closure,
        days=plan.days,
    )


def free_audience(first_members, joined, churned, member_days, days: int) -> dict[str, np.ndarray]:
    """Step 4's inputs from the service loop (floats or arrays): the monetization model's free audience.

    ``free_members``: the members on day 0 (at least its smallest audience, rounded); ``daily_inflow``: the
    loop's average daily newcomers; ``free_churn``: the loop's realised churn, leavers per member-day.
    """
    return {
        "free_members": np.round(_clip(monetization, "free_members", np.asarray(first_members, dtype=float))),
        "daily_inflow": _clip(monetization, "daily_inflow", np.asarray(joined, dtype=float) / days),
        "free_churn": _clip(
            monetization, "free_churn", np.asarray(churned, dtype=float) / np.maximum(member_days, 1e-9)
        ),
    }


def offer_conversion(venue: Platform) -> float:
    """The monetization model's conversion ceiling, times how much more of the offer members see (1/month)."""
    return float(_clip(monetization, "max_conversion", monetization.Params().max_conversion * venue.offer_reach))


def monetization_params(plan: Params, audience: dict[str, np.ndarray], venue: Platform) -> monetization.Params:
    """Step 4, service loop and platform -> revenue: the community's members are the free audience.

    ``audience`` comes from :func:`free_audience`; members see the offer in proportion to what they read of
    their channel (:func:`offer_conversion`).
    """
    return monetization.Params(
        free_members=int(audience["free_members"]),
        daily_inflow=float(audience["daily_inflow"]),
        free_churn=float(audience["free_churn"]),
        max_conversion=offer_conversion(venue),
        price=plan.price,
        selling_intensity=plan.selling_intensity,
        days=plan.days,
    )


def engaged_share(engaged: np.ndarray, group_members: int) -> np.ndarray:
    """Mean share of the group's members who are engaged over the run (along the last axis)."""
    return np.mean(engaged, axis=-1) / group_members


def clear_caches() -> None:
    """Forget the cached plan-level pillar runs (benchmarks measure a cold start; tests after a model change)."""
    for cached in (_attention, _reference_read_share, _brand, _platform):
        cached.cache_clear()
