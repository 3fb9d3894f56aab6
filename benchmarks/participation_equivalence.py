"""Are the three participation kernels one model? Mesa agents, numpy agents and the mean field compared.

* The **Mesa** model (``mesa_participation.py``) and the **agent-level numpy kernel**
  (:func:`communitylab.models.participation.simulate_agents`) follow the same rules member
  by member with different random numbers, so for the same people (one member seed) their
  histories must have the same distribution. :func:`same_distribution` tests that with
  two-sample Kolmogorov-Smirnov tests on per-history figures (Fisher's exact test for the
  0/1 figure "went quiet"), Bonferroni-corrected over every test it makes.
* The **mean field** (:func:`communitylab.models.participation.simulate`) carries expected
  values instead of one history; :func:`mean_field_gap` says how far its figures lie from
  the mean of the agent-level histories on the same people.

Needs mesa and scipy (the ``bench`` extra). Used by ``bench_participation.py`` and
``tests/benchmarks/test_mesa_equivalence.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from mesa_participation import run_abm
from scipy import stats

from communitylab.models.participation import QUIET_FRACTION, Params, Result, simulate, simulate_agents

__all__ = ["FIGURES", "Histories", "mesa_histories", "agent_histories", "same_distribution", "mean_field_gap"]

#: The figures of one history, by name; ``went_quiet`` is 0 or 1.
FIGURES: dict[str, str] = {
    "mean_posts_per_day": "posts per day, averaged over the run",
    "ever_posted_pct": "% of members who posted at least once",
    "engaged_last_day": "members following the group on the last day",
    "present_last_day": "members still in the group at the start of the last day",
    "went_quiet": "1 if posts fell below 10 % of day 0 within the run",
}
#: Chance seeds of the histories: Mesa's and the numpy agents' never overlap.
MESA_CHANCE_BASE = 10_000
AGENT_CHANCE_BASE = 20_000

#: Histories of one implementation: (scenario, member seed) -> figure -> (histories,) array.
Histories = dict[tuple[str, int], dict[str, np.ndarray]]


def history_figures(daily: dict[str, np.ndarray], member_posts: np.ndarray) -> dict[str, float]:
    """The compared figures of one history (or of the mean field's expected run).

    ``daily`` holds ``posts_per_day``, ``engaged`` and ``present`` arrays over the days.
    """
    posts = daily["posts_per_day"]
    return {
        "mean_posts_per_day": float(np.mean(posts)),
        "ever_posted_pct": float(100.0 * np.count_nonzero(member_posts) / member_posts.size),
        "engaged_last_day": float(daily["engaged"][-1]),
        "present_last_day": float(daily["present"][-1]),
        "went_quiet": float(np.any(posts < QUIET_FRACTION * posts[0])),
    }


def _result_figures(result: Result) -> dict[str, float]:
    daily = {"posts_per_day": result.posts_per_day, "engaged": result.engaged, "present": result.present}
    return history_figures(daily, result.member_posts)


def _collect(rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    return {figure: np.array([row[figure] for row in rows]) for figure in FIGURES}


def mesa_histories(scenarios: dict[str, Params], member_seeds, histories: int) -> Histories:
    """``histories`` Mesa runs per scenario and member seed (chance seeds ``10_000 + j``)."""
    out: Histories = {}
    for name, params in scenarios.items():
        for seed in member_seeds:
            runs = (run_abm(params, seed, chance_seed=MESA_CHANCE_BASE + j) for j in range(histories))
            out[name, seed] = _collect([history_figures(run, run["member_posts"]) for run in runs])
    return out


def agent_histories(
    scenarios: dict[str, Params],
    member_seeds,
    histories: int,
    agents: Callable[[Params, int, int], Result] = simulate_agents,
) -> Histories:
    """``histories`` agent-level numpy runs per scenario and member seed (chance seeds ``20_000 + j``).

    ``agents(params, seed, chance_seed) -> Result`` is the kernel; a deliberately wrong one
    shows whether :func:`same_distribution` can see a difference.
    """
    out: Histories = {}
    for name, params in scenarios.items():
        for seed in member_seeds:
            runs = (agents(params, seed, AGENT_CHANCE_BASE + j) for j in range(histories))
            out[name, seed] = _collect([_result_figures(run) for run in runs])
    return out


def _p_value(figure: str, a: np.ndarray, b: np.ndarray) -> float:
    """p-value of 'same distribution': Fisher's exact test for the 0/1 figure, two-sample KS otherwise.

    The KS p-values are asymptotic; ties in count figures make them conservative.
    """
    if figure == "went_quiet":
        table = [[int(a.sum()), int(a.size - a.sum())], [int(b.sum()), int(b.size - b.sum())]]
        return float(stats.fisher_exact(table).pvalue)
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return 1.0 if a[0] == b[0] else 0.0  # both constant (e.g. nobody left): equal or not
    return float(stats.ks_2samp(a, b, method="asymp").pvalue)


def same_distribution(mesa: Histories, agents: Histories, family_alpha: float = 0.01) -> dict[str, object]:
    """Test, for every scenario, member seed and figure, that Mesa and the agents have the same distribution.

    Parameters
    ----------
    mesa, agents : Histories
        Figures of the two implementations' histories on the same keys.
    family_alpha : float
        Chance of a false alarm over all the tests together: each test rejects below
        ``family_alpha / number of tests`` (Bonferroni).

    Returns
    -------
    dict
        ``tests``: one row per (scenario, member seed, figure) with both means, the p-value
        and ``same`` (not rejected); ``alpha`` (per test); ``all_same`` (no test rejects).
    """
    keys = list(mesa)
    alpha = family_alpha / (len(keys) * len(FIGURES))
    rows = []
    for scenario, seed in keys:
        for figure in FIGURES:
            a, b = mesa[scenario, seed][figure], agents[scenario, seed][figure]
            p_value = _p_value(figure, a, b)
            rows.append(
                {
                    "scenario": scenario,
                    "member_seed": seed,
                    "figure": figure,
                    "mesa_mean": round(float(a.mean()), 4),
                    "agents_mean": round(float(b.mean()), 4),
                    "p_value": round(p_value, 6),
                    "same": bool(p_value >= alpha),
                }
            )
    return {"family_alpha": family_alpha, "alpha": alpha, "tests": rows, "all_same": all(r["same"] for r in rows)}


def mean_field_gap(scenarios: dict[str, Params], agents: Histories) -> dict[str, dict[str, dict[str, object]]]:
    """How far the mean field lies from the agent-level mean, per scenario and figure.

    For each scenario the mean field runs once per member seed (the same people), and its
    figures are averaged over the seeds; the agent-level mean averages all histories, each
    member seed weighing the same, with a 95 % interval from the spread of the histories.

    Returns
    -------
    dict
        ``{scenario: {figure: {"mean_field", "agents", "gap", "relative_gap", "agents_ci95",
        "within_ci95"}}}``.
    """
    out: dict[str, dict[str, dict[str, object]]] = {}
    for name, params in scenarios.items():
        seeds = [seed for scenario, seed in agents if scenario == name]
        field = [_result_figures(simulate(params, seed)) for seed in seeds]
        out[name] = {}
        for figure in FIGURES:
            expected = float(np.mean([row[figure] for row in field]))
            samples = [agents[name, seed][figure] for seed in seeds]
            mean = float(np.mean([s.mean() for s in samples]))
            # strata of equal weight: var(mean) = sum(var_i / n_i) / strata**2
            se = float(np.sqrt(sum(s.var(ddof=1) / s.size for s in samples)) / len(samples))
            out[name][figure] = {
                "mean_field": round(expected, 4),
                "agents": round(mean, 4),
                "gap": round(expected - mean, 4),
                "relative_gap": round((expected - mean) / abs(mean), 4) if mean else None,
                "agents_ci95": [round(mean - 1.96 * se, 4), round(mean + 1.96 * se, 4)],
                "within_ci95": bool(abs(expected - mean) <= 1.96 * se),
            }
    return out
