"""The forwarding cascade of the brand model: a Galton-Watson branching process with times.

Every person who scans also shares the poster and brings ``Poisson(R)`` further
attempts, each ``Exp(tau_fwd)`` hours later (the independent cascade of Kempe,
Kleinberg & Tardos 2003 on a tree). Generations are flat arrays of attempts tagged
with their run id and kept in run order.

Whatever a run can still change is bounded: adding attempts only ever makes the
scan limit and the full group come earlier, so the fill times from the attempts
seen so far are upper bounds, and an attempt later than that bound (or than the
expiry) is dropped with its whole subtree after every generation. Explosive
settings (``R`` in the hundreds, or rare invitations that need tens of thousands of
attempts) are capped by a per-run budget of followed attempts; capped runs are
flagged approximate and their fill times are upper bounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from communitylab.models._model import FloatArray, IntArray
from communitylab.models.brand.seats import Seats, earliest_per_run

if TYPE_CHECKING:
    from communitylab.models.brand.direct import DirectWave
    from communitylab.models.brand.model import Params

__all__ = [
    "follow_forwards",
    "galton_watson_sizes",
    "zero_truncated_poisson",
    "FORWARD_BUDGET",
    "TOTAL_BUDGET_GENERATIONS",
]

#: Forwarded attempts followed, summed over all runs; a run beyond its share is
#: no longer followed and counts as approximate (its fill times are upper bounds).
FORWARD_BUDGET = 1_000_000
#: A run follows at most this many generations' worth of its per-generation budget in total.
TOTAL_BUDGET_GENERATIONS = 4
#: Safety stop for the generation loop (pruning ends it long before in practice).
MAX_GENERATIONS = 5_000


def follow_forwards(
    p: Params, wave: DirectWave, seats: Seats, rng: np.random.Generator
) -> tuple[IntArray, NDArray[np.bool_]]:
    """Follow the forwarded attempts generation by generation, adding each to ``seats``.

    Parameters
    ----------
    p : Params
        Model parameters.
    wave : DirectWave
        The direct scans the cascade starts from.
    seats : Seats
        Each run's scanners and invitation joins so far; updated in place.
    rng : numpy.random.Generator
        Source of randomness (used after the direct wave's draws).

    Returns
    -------
    followed : (runs,) ndarray of int
        Forwarded attempts followed in each run.
    approximate : (runs,) ndarray of bool
        Runs a budget cut short (their fill times are upper bounds).
    """
    cascade = _Cascade(p, rng)
    if p.reproduction_number == 0:
        return cascade.followed, cascade.approximate
    bound = seats.bound(p)
    parent_run, parent_time = np.empty(0, dtype=np.int64), np.empty(0)
    for generation in range(MAX_GENERATIONS + 1):
        if generation == MAX_GENERATIONS:
            cascade.approximate[parent_run] = True
            break
        if generation == 0:
            child_run, child_time = cascade.children_of_direct(wave, bound)
        else:
            keep = parent_time <= bound[parent_run]
            parent_run, parent_time = parent_run[keep], parent_time[keep]
            if parent_run.size == 0:
                break
            child_run, child_time = cascade.children_of(parent_run, parent_time)
        if child_run.size == 0:
            break
        child_time = child_time + p.forward_delay_h * rng.standard_exponential(child_time.size)
        child_run, child_time = cascade.within_budget(child_run, child_time, bound)
        child_join = np.full(child_time.size, np.inf)
        invited = np.flatnonzero(rng.random(child_time.size) < p.invite_success)
        child_join[invited] = child_time[invited] + p.invite_delay_h * rng.standard_exponential(invited.size)
        seats.absorb(child_run, child_time, child_join)
        bound = seats.bound(p)
        parent_run, parent_time = child_run, child_time
    return cascade.followed, cascade.approximate


class _Cascade:
    """What the generations of one simulation share: the budgets, and per run the attempts followed so far
    and whether a budget cut it short."""

    def __init__(self, p: Params, rng: np.random.Generator) -> None:
        self.p, self.rng = p, rng
        self.budget = max(2 * p.seats, FORWARD_BUDGET // p.runs)  # attempts per run and generation
        self.followed = np.zeros(p.runs, dtype=np.int64)
        self.approximate = np.zeros(p.runs, dtype=bool)

    def children_of_direct(self, wave: DirectWave, bound: FloatArray) -> tuple[IntArray, FloatArray]:
        """Run ids and parents' hours of the first generation, the forwards of the direct scanners, in run order.

        Children of the first arrivals and of the invited later ones: ``Poisson(R * arrivals)``
        per run, each with a uniform parent (children of parents past the bound are pruned
        by the caller); then the forwards of the forwarding later arrivals. A run whose
        children overflow the budget keeps a random share of them (flagged approximate).
        """
        p, rng = self.p, self.rng
        runs, cap, R = p.runs, p.scan_joins, p.reproduction_number
        first, successes, invited_times = wave.first, wave.invited, wave.invited_times
        forwarder_run, forwarder_children = wave.forwarder_run, wave.forwarder_children
        eligible = (first <= bound[:, None]).sum(axis=1)  # sorted: a prefix
        from_first, from_invited = rng.poisson(R * eligible), rng.poisson(R * successes)
        from_forwarders = np.bincount(forwarder_run, weights=forwarder_children, minlength=runs)
        drawn = from_first + from_invited + from_forwarders
        if (drawn > self.budget).any():
            # an explosive R: keep a random share of each overfull run's children (flagged approximate)
            share = np.minimum(1.0, self.budget / np.maximum(drawn, 1))
            self.approximate |= share < 1
            from_first, from_invited = rng.binomial(from_first, share), rng.binomial(from_invited, share)
            forwarder_children = rng.binomial(forwarder_children, share[forwarder_run])
        per_run = from_first + from_invited
        child_run = np.repeat(np.arange(runs), per_run)
        rank = np.arange(child_run.size) - np.repeat(np.cumsum(per_run) - per_run, per_run)
        uniform = rng.random(child_run.size)
        pick_first = np.minimum((uniform * eligible[child_run]).astype(np.int64), cap - 1)
        pick_invited = np.minimum((uniform * successes[child_run]).astype(np.int64), invited_times.shape[1] - 1)
        child_time = np.where(
            rank < from_first[child_run], first[child_run, pick_first], invited_times[child_run, pick_invited]
        )
        # add the forwarders' children; a stable sort of sorted pieces restores run order cheaply
        child_run = np.concatenate([child_run, np.repeat(forwarder_run, forwarder_children)])
        child_time = np.concatenate([child_time, np.repeat(wave.forwarder_time, forwarder_children)])
        order = np.argsort(child_run, kind="stable")
        return child_run[order], child_time[order]

    def children_of(self, parent_run: IntArray, parent_time: FloatArray) -> tuple[IntArray, FloatArray]:
        """Run ids and parents' hours of the next generation: ``Poisson(R * parents)`` per run, uniform parents.

        A run beyond the budget is clipped (with uniform parents, clipping is random
        thinning) and flagged approximate.
        """
        runs = self.p.runs
        parents = np.bincount(parent_run, minlength=runs)
        children = self.rng.poisson(self.p.reproduction_number * parents)
        if (children > self.budget).any():
            self.approximate |= children > self.budget
            children = np.minimum(children, self.budget)
        child_run = np.repeat(np.arange(runs), children)
        first_parent = np.cumsum(parents) - parents
        pick = first_parent[child_run] + (self.rng.random(child_run.size) * parents[child_run]).astype(np.int64)
        return child_run, parent_time[pick]

    def within_budget(
        self, child_run: IntArray, child_time: FloatArray, bound: FloatArray
    ) -> tuple[IntArray, FloatArray]:
        """The attempts of a generation that can still matter and fit the budgets; counts them as followed."""
        keep = child_time <= bound[child_run]
        child_run, child_time = child_run[keep], child_time[keep]
        # a run beyond the budget keeps its earliest attempts of this generation (its times become upper bounds)
        keep = earliest_per_run(child_run, child_time, self.budget)
        if not keep.all():
            self.approximate[child_run[~keep]] = True
            child_run, child_time = child_run[keep], child_time[keep]
        # a run that has used up its share of the total budget is no longer followed (flagged approximate)
        exhausted = self.followed >= TOTAL_BUDGET_GENERATIONS * self.budget
        if exhausted.any():
            self.approximate |= exhausted & (np.bincount(child_run, minlength=self.p.runs) > 0)
            keep = ~exhausted[child_run]
            child_run, child_time = child_run[keep], child_time[keep]
        self.followed += np.bincount(child_run, minlength=self.p.runs)
        return child_run, child_time


def galton_watson_sizes(
    reproduction_number: float, runs: int, rng: np.random.Generator, max_size: int = 100_000
) -> NDArray[np.int64]:
    """Total sizes of Galton-Watson cascades with ``Poisson(R)`` offspring, from one ancestor.

    This is the cascade of the model without times, seats or expiry: the
    ancestor plus every descendant. For ``R < 1`` the size follows the Borel
    distribution: ``P(size = 1) = exp(-R)`` and mean ``1 / (1 - R)``.

    Parameters
    ----------
    reproduction_number : float
        Mean offspring per person, ``R >= 0``.
    runs : int
        Number of independent cascades.
    rng : numpy.random.Generator
        Source of randomness.
    max_size : int
        Cascades are stopped once they reach this size (supercritical ones may
        never end); the returned size is then at least ``max_size``.

    Returns
    -------
    (runs,) ndarray of int
        Cascade sizes, each at least 1.
    """
    if reproduction_number < 0:
        raise ValueError(f"reproduction_number = {reproduction_number!r} must be at least 0")
    sizes = np.ones(runs, dtype=np.int64)
    active = np.ones(runs, dtype=np.int64)
    while True:
        live = (active > 0) & (sizes < max_size)
        if not live.any():
            return sizes
        # the sum of `active` independent Poisson(R) counts is Poisson(R * active)
        children = np.zeros(runs, dtype=np.int64)
        children[live] = rng.poisson(reproduction_number * active[live])
        sizes += children
        active = children


def zero_truncated_poisson(mean: float, size: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """``size`` draws of ``Poisson(mean)`` conditioned on being at least 1."""
    if size == 0 or mean <= 0:
        return np.ones(size, dtype=np.int64)
    if mean > 1:
        draws = rng.poisson(mean, size)
        while (zero := draws == 0).any():  # P(0) < e^-1: a few rounds at most
            draws[zero] = rng.poisson(mean, int(zero.sum()))
        return draws
    # small mean: invert the CDF of the truncated law, k = 1, 2, ... (terms shrink like mean^k / k!)
    uniform = rng.random(size) * -np.expm1(-mean)  # P(1 <= X <= k) accumulated against U * P(X >= 1)
    draws = np.ones(size, dtype=np.int64)
    term = mean * np.exp(-mean)
    total = term
    k = 1
    while (more := uniform > total).any() and k < 200:
        k += 1
        term *= mean / k
        total += term
        draws[more] += 1
    return draws
