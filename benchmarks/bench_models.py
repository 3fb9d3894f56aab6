"""Kernel time of every model's full default trajectory (the 20 ms slider budget).

Each entry of ``CASES`` maps a name to a zero-argument callable that runs one
full computation; ``run()`` times each (median of ``RUNS`` calls after 2 warm-up
calls) and flags whether the median is within ``BUDGET_MS``. To add a model,
append lines at the end of this file:

    CASES["brand.default_1000_runs"] = lambda: brand.simulate(brand.Params())

Run with ``python benchmarks/run.py models``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from timing import time_calls

RUNS = 21
BUDGET_MS = 20.0

#: name -> callable running one full computation.
CASES: dict[str, Callable[[], object]] = {}
#: name -> budget (ms) for cases whose contract is not the 20 ms slider budget (e.g. brand's 1,000 runs <= 100 ms).
BUDGETS_MS: dict[str, float] = {}


def run() -> dict:
    """Median, p90, min and max milliseconds of every case, plus whether the median fits the budget."""
    figures: dict[str, object] = {"budget_ms": BUDGET_MS}
    for name, case in CASES.items():
        timing = time_calls(case, repeats=RUNS)
        budget = BUDGETS_MS.get(name, BUDGET_MS)
        if budget != BUDGET_MS:
            timing["budget_ms"] = budget
        timing["within_budget"] = timing["median_ms"] <= budget
        figures[name] = timing
    return figures


# -- Model 2: closed-loop service ----------------------------------------------------------
from communitylab.models import service_loop  # noqa: E402

CASES["service_loop.default_365d"] = lambda: service_loop.simulate(service_loop.Params())
CASES["service_loop.closure_sweep_64x365d"] = lambda: service_loop.simulate_many(
    service_loop.Params(), "loop_closure", np.linspace(0, 1, 64)
)

# -- Model 4: monetization -----------------------------------------------------------------
from communitylab.models import monetization  # noqa: E402

CASES["monetization.default_365d"] = lambda: monetization.simulate(monetization.Params())
CASES["monetization.annual_default_365d"] = lambda: monetization.simulate(monetization.Params(annual_plan=True))
CASES["monetization.grid_48x48x365d"] = lambda: monetization.revenue_grid(
    monetization.Params(), np.linspace(5, 100, 48), np.linspace(0, 2, 48)
)

# -- Model 5: personal brand (budget: 1,000 Monte Carlo runs <= 100 ms, not the 20 ms slider budget) -------
from communitylab.models import brand  # noqa: E402

_INFLUENCER = dict(reach=0.05, join_rate=0.1, view_timescale_h=0.5)
CASES["brand.ordinary_1000_runs"] = lambda: brand.simulate(brand.Params())
CASES["brand.influencer_200k_1000_runs"] = lambda: brand.simulate(brand.Params(followers=200_000, **_INFLUENCER))
CASES["brand.influencer_100k_1000_runs"] = lambda: brand.simulate(brand.Params(followers=100_000, **_INFLUENCER))
CASES["brand.pusher_r1.2_1000_runs"] = lambda: brand.simulate(
    brand.Params(followers=500, reach=0.6, join_rate=0.2, forward_share=0.8)
)
BUDGETS_MS.update({name: 100.0 for name in CASES if name.startswith("brand.")})

# -- Model 6: migration --------------------------------------------------------------------
from communitylab.models import migration  # noqa: E402

CASES["migration.default_365d"] = lambda: migration.simulate(migration.Params())

# -- Capstone: the four pillars coupled ------------------------------------------------------
from communitylab.models import community  # noqa: E402

CASES["community.default_365d"] = lambda: community.simulate(community.Params())
