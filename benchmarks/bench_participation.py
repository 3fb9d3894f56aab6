"""Model 3 participation: Mesa agents, our agent-level kernel and our mean-field kernel, side by side.

The honest comparison is between computations of the same thing:

* **Mesa** (``mesa_participation.py``) and the **agent-level kernel**
  (:func:`communitylab.models.participation.simulate_agents`) both live one history with
  every member's own state, by the same rules; their ratio is the price of stepping
  agents one by one in Python objects.
* The **mean-field kernel** (:func:`communitylab.models.participation.simulate`, what the
  lab runs) carries expected values instead; its ratio to the agent-level kernel is what
  giving up single histories buys, and its gap to the agents' mean is what it costs.

All three run at the same size (``SIZE``, default 10,000 members x 365 days) on the same
people (one member seed per round), in alternation within one process, so that a busy
machine slows all three alike. Then, at ``EQUIVALENCE_SIZE``, Mesa and the agent-level
kernel are shown to give the same distributions (KS and Fisher tests on per-history
figures, see ``participation_equivalence.py``) and the mean field is compared with the
agents' mean.

Run with ``python benchmarks/run.py participation`` (``make bench ONLY=participation``);
needs the ``bench`` extra (mesa, scipy). For a quick check at a small size set
``BENCH_PARTICIPATION_MEMBERS`` (e.g. 1000) and ``BENCH_PARTICIPATION_HISTORIES`` (e.g. 5).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from timing import summarize_ms

from communitylab.models.participation import Params, simulate, simulate_agents

SIZE = Params(members=int(os.environ.get("BENCH_PARTICIPATION_MEMBERS", 10_000)), days=365)
#: Rounds of the timing; each round is one member seed and runs Mesa once, the agent-level
#: kernel ``AGENT_REPEATS`` times and the mean field ``MEAN_FIELD_REPEATS`` times.
ROUNDS = 5
AGENT_REPEATS = 3
MEAN_FIELD_REPEATS = 9
#: The mean field's slider budget (architecture note: 10,000 members x 365 days <= 20 ms).
BUDGET_MS = 20.0

EQUIVALENCE_SIZE = Params(members=1_000, days=365)
EQUIVALENCE_SCENARIOS = {"defaults": EQUIVALENCE_SIZE, "checkin": EQUIVALENCE_SIZE.replace(checkin=True)}
EQUIVALENCE_SEEDS = (0, 1, 2)
EQUIVALENCE_HISTORIES = int(os.environ.get("BENCH_PARTICIPATION_HISTORIES", 20))


def _ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def _time_side_by_side(run_abm) -> dict[str, dict[str, float]]:
    """Median, p90, min and max ms of each implementation, interleaved round by round."""
    samples: dict[str, list[float]] = {"mesa": [], "agents": [], "mean_field": []}
    run_abm(Params(members=100, days=30), 0)  # warm-up: imports and first-call costs out of the figures
    simulate_agents(SIZE, 0)
    simulate(SIZE, 0)
    for seed in range(ROUNDS):
        samples["mesa"].append(_ms(lambda seed=seed: run_abm(SIZE, seed)))
        samples["agents"].extend(_ms(lambda seed=seed: simulate_agents(SIZE, seed)) for _ in range(AGENT_REPEATS))
        samples["mean_field"].extend(_ms(lambda seed=seed: simulate(SIZE, seed)) for _ in range(MEAN_FIELD_REPEATS))
    return {name: summarize_ms(values) for name, values in samples.items()}


def _equivalence() -> dict[str, object]:
    import participation_equivalence as eq

    mesa = eq.mesa_histories(EQUIVALENCE_SCENARIOS, EQUIVALENCE_SEEDS, EQUIVALENCE_HISTORIES)
    agents = eq.agent_histories(EQUIVALENCE_SCENARIOS, EQUIVALENCE_SEEDS, EQUIVALENCE_HISTORIES)
    verdict = eq.same_distribution(mesa, agents)
    return {
        "size": {"members": EQUIVALENCE_SIZE.members, "days": EQUIVALENCE_SIZE.days},
        "member_seeds": list(EQUIVALENCE_SEEDS),
        "histories_per_seed": EQUIVALENCE_HISTORIES,
        "figures": eq.FIGURES,
        "mesa_vs_agents": {
            "method": "two-sample KS per figure (Fisher's exact test for went_quiet), same people, "
            "independent histories; Bonferroni over all tests",
            **verdict,
        },
        "mean_field_vs_agents": eq.mean_field_gap(EQUIVALENCE_SCENARIOS, agents),
    }


def run() -> dict[str, object]:
    """Time the three implementations side by side and check what each computes."""
    import mesa
    from mesa_participation import run_abm  # needs mesa (bench extra)

    timing = _time_side_by_side(run_abm)
    mesa_ms, agents_ms, field_ms = (timing[name]["median_ms"] for name in ("mesa", "agents", "mean_field"))
    return {
        "size": {"members": SIZE.members, "days": SIZE.days, "rounds": ROUNDS},
        "mesa": {**timing["mesa"], "version": mesa.__version__},
        "agents": timing["agents"],
        "mean_field": timing["mean_field"],
        "mesa_over_agents": round(mesa_ms / agents_ms, 1),
        "agents_over_mean_field": round(agents_ms / field_ms, 1),
        "mesa_over_mean_field": round(mesa_ms / field_ms, 1),
        "mean_field_budget_ms": BUDGET_MS,
        "mean_field_within_budget": field_ms <= BUDGET_MS,
        "equivalence": _equivalence(),
    }
