"""The health score of many plans over many seeds at once: the capstone leaderboard's kernel.

Same chain, same numbers as :func:`~communitylab.models.community.simulate` (up to
rounding, about 1e-12; a test checks it), computed for every (plan, seed) pair
together and keeping only what the score reads:

* the pillars that do not take the seed (attention, brand, platform) run once per
  plan, from the caches of :mod:`.pillars`;
* the participation groups of every pair step together through the participation
  model's :func:`~communitylab.models.participation.meanfield.mean_field_many`,
  each with the members its seed draws (:func:`~communitylab.models.participation.drivers.draw_members`);
* the service loops of every pair step together through the service-loop model's
  ``integrate``, as its :func:`~communitylab.models.service_loop.simulate_many` does;
* the paid offers of every pair step together through the monetization model's own
  ``daily_rates``, ``eligible_share``, ``integrate`` and ``unit_economics``, whose
  arrays broadcast over the pairs (as its price x selling grid does).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace

import numpy as np

from communitylab.models import monetization
from communitylab.models.community import pillars as steps
from communitylab.models.community.model import LTV_CAC_TARGET, PILLARS, SHARE_FLOOR, Params
from communitylab.models.monetization import model as money_model
from communitylab.models.participation.drivers import draw_members
from communitylab.models.participation.meanfield import mean_field_many
from communitylab.models.service_loop import model as loop_model

__all__ = ["health_many"]


def health_many(plans: Sequence[Params], seeds: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """Pillar shares and health scores of every plan over every seed.

    Parameters
    ----------
    plans : sequence of Params
        The plans (any run lengths; plans with the same ``days`` are stepped together).
    seeds : iterable of int
        The seeds each plan runs with.

    Returns
    -------
    shares : (plans, seeds, 6) ndarray of float
        Each pillar's share on the last day, in :data:`~communitylab.models.community.PILLARS` order (0-1).
    health : (plans, seeds) ndarray of float
        The health score of each run (0-100).
    """
    seeds = list(seeds)
    shares = np.empty((len(plans), len(seeds), len(PILLARS)))
    for days in sorted({plan.days for plan in plans}):
        index = [i for i, plan in enumerate(plans) if plan.days == days]
        shares[index] = _shares([plans[i] for i in index], seeds)
    health = 100.0 * np.exp(np.log(np.clip(shares, SHARE_FLOOR, 1.0)).mean(axis=2))
    return shares, health


def _shares(plans: list[Params], seeds: list[int]) -> np.ndarray:
    """``(plans, seeds, 6)`` shares of plans with one run length."""
    count, days = len(plans) * len(seeds), plans[0].days
    heard = [steps.attention_step(plan) for plan in plans]
    launch = [steps.brand_step(plan) for plan in plans]
    venue = [steps.platform_step(plan) for plan in plans]

    # participation: one row per (plan, seed), members padded to the largest group
    group_params = [steps.participation_params(plan, h) for plan, h in zip(plans, heard, strict=True)]
    width = max(plan.group_members for plan in plans)
    rate, threshold = np.zeros((count, width)), np.full((count, width), np.inf)
    row_params = []
    for i, group in enumerate(group_params):
        for j, seed in enumerate(seeds):
            row = i * len(seeds) + j
            rate[row, : group.members], threshold[row, : group.members] = draw_members(
                group, np.random.default_rng(seed)
            )
            row_params.append(group)
    engaged = mean_field_many(row_params, rate, threshold)["engaged"]
    group_members = np.repeat([plan.group_members for plan in plans], len(seeds))
    engaged_share = steps.engaged_share(engaged, 1) / group_members

    # service loop: the plan's parameters with each row's word of mouth (values inside their ranges)
    bases = [steps.service_params(plan, 1.0, b).to_dict() for plan, b in zip(plans, launch, strict=True)]
    mouths = steps.word_of_mouth(engaged_share)
    scenarios = [
        SimpleNamespace(**(bases[row // len(seeds)] | {"word_of_mouth": float(mouths[row])})) for row in range(count)
    ]
    loop = loop_model.integrate(scenarios, days)  # (days, rows)
    members = loop["new"] + loop["active"] + loop["loyal"]

    # the paid offer: the monetization model's functions over arrays of rows
    audience = steps.free_audience(members[0], loop["joined"][-1], loop["churned"][-1], members.sum(axis=0), days)
    offer = SimpleNamespace(**monetization.Params(days=days).to_dict())
    offer.free_members, offer.daily_inflow, offer.free_churn = (
        audience["free_members"],
        audience["daily_inflow"],
        audience["free_churn"],
    )
    offer.max_conversion = np.repeat([steps.offer_conversion(v) for v in venue], len(seeds))
    price = np.repeat([plan.price for plan in plans], len(seeds))
    selling = np.repeat([plan.selling_intensity for plan in plans], len(seeds))
    conversion, free_churn = money_model.daily_rates(offer, selling)
    totals = money_model.integrate(
        offer,
        price,
        monetization.eligible_share(offer, price),
        conversion,
        free_churn,
        monetization.monthly_paid_churn(offer, price),
        record=False,
    )
    seen = offer.free_members + offer.daily_inflow * days
    ltv_cac = money_model.unit_economics(offer, price, totals["converted"] / seen)["ltv_cac"]

    last_members = members[-1]
    columns = {
        "attention": np.repeat([h.listening for h in heard], len(seeds)),
        "service_loop": np.divide(loop["loyal"][-1], last_members, out=np.zeros(count), where=last_members > 0),
        "participation": engaged[:, -1] / group_members,
        "monetization": np.where(np.isnan(ltv_cac), 0.0, np.clip(ltv_cac / LTV_CAC_TARGET, 0.0, 1.0)),
        "brand": np.repeat([b.fill_share for b in launch], len(seeds)),
        "migration": np.repeat([v.reading_share for v in venue], len(seeds)),
    }
    return np.stack([columns[name] for name in PILLARS], axis=1).reshape(len(plans), len(seeds), len(PILLARS))
