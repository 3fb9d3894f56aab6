"""Kernel time of model 01 (attention share) at its default size: 10,000 members x 365 days."""

from __future__ import annotations

from timing import time_calls

from communitylab.models import attention

BUDGET_MS = 20.0


def run() -> dict:
    """Median/p90 of ``attention.simulate`` with defaults, and of the lab's whole update (model + chart records)."""
    params = attention.Params()
    kernel = time_calls(lambda: attention.simulate(params, seed=0), repeats=41)
    kernel["within_budget"] = kernel["median_ms"] <= BUDGET_MS

    from communitylab.labs.attention import AttentionLab

    lab = AttentionLab()
    widths = iter([0.05 + 0.001 * (i % 300) for i in range(10_000)])
    lab_update = time_calls(lambda: lab.set(niche_width=next(widths)), repeats=41)
    return {
        "size": {"members": params.members, "days": params.days},
        "kernel": kernel,
        "lab_update_python": lab_update,
        "budget_ms": BUDGET_MS,
    }
