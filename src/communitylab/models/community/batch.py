"""The health score of many plans over many seeds at once (the capstone leaderboard's kernel)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from communitylab.models.community.model import PILLARS, Params, health_components, health_score, simulate

__all__ = ["health_many"]


def health_many(plans: Sequence[Params], seeds: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """Pillar shares ``(P, S, 6)`` and health scores ``(P, S)`` of every plan over every seed."""
    seeds = list(seeds)
    shares = np.empty((len(plans), len(seeds), len(PILLARS)))
    health = np.empty((len(plans), len(seeds)))
    for i, plan in enumerate(plans):
        for j, seed in enumerate(seeds):
            components = health_components(simulate(plan, seed))
            shares[i, j] = [components[name] for name in PILLARS]
            health[i, j] = health_score(components)
    return shares, health
