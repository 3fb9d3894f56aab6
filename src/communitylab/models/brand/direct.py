"""The direct wave of the brand model: followers who see the post and scan the QR code themselves.

``n0 ~ Poisson(F * reach * join)`` followers scan in each run, at independent
``Exp(tau_view)`` hours. Drawing them all would cost an influencer thousands of
numbers per run, so:

* only the first ``cap`` arrivals (the possible scanners) are drawn in order, as
  order statistics of exponentials (Renyi's representation: the gap before the
  ``j``-th of ``n`` arrivals is ``Exp(tau_view) / (n - j + 1)``);
* by memorylessness every later arrival is ``T_cap + Exp(tau_view)``, independent
  and unsorted; of those, only the ones an invitation lets in and the ones who
  forward at all (``Binomial`` counts) get a time;
* arrivals beyond a budget (audiences of many thousands of scans per run) need an
  invitation anyway: the earliest of their invitation joins are drawn directly as
  order statistics of ``Exp(tau_view) + Exp(tau_inv)``. Their own forwards are not
  followed; the runs where that could matter are flagged approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from communitylab.models._model import FloatArray, IntArray
from communitylab.models.brand.cascade import zero_truncated_poisson
from communitylab.models.brand.seats import pad, smallest

if TYPE_CHECKING:
    from communitylab.models.brand.model import Params

__all__ = ["DirectWave", "direct_wave", "DIRECT_BUDGET"]

#: Direct arrivals followed one by one, summed over all runs (memory and time cap).
DIRECT_BUDGET = 1_500_000


@dataclass(frozen=True)
class DirectWave:
    """The direct scans of ``runs`` launches; rows are runs.

    Attributes
    ----------
    scanners : (runs,) ndarray of int
        Followers who scanned directly (``n0``), expired or not.
    first : (runs, cap) ndarray of float
        Hours of the first ``cap`` direct attempts, ascending; ``inf`` where there are
        fewer or the code had expired.
    first_joins : (runs, cap) ndarray of float
        Hour each of them would join by invitation instead; ``inf`` if not invited.
    late : (runs, need) ndarray of float
        The earliest invitation joins of the later direct arrivals (unordered), ``inf``-padded.
    cap_direct : (runs,) ndarray of float
        Hour of the ``cap``-th direct arrival, whether or not the code had expired; ``inf`` if fewer.
    later : (runs,) ndarray of int
        Direct arrivals after the ``cap``-th.
    tail : (runs,) ndarray of int
        Later arrivals beyond the budget, whose forwards are not followed.
    invited : (runs,) ndarray of int
        Later arrivals (within the budget) an invitation lets in.
    invited_times : (runs, max(1, max(invited))) ndarray of float
        Their arrival hours (row ``r`` uses its first ``invited[r]`` columns; ``inf`` if expired).
    forwarder_run, forwarder_time, forwarder_children : (F,) ndarray
        The not-invited later arrivals who forward at all: run id, arrival hour and
        number of forwards (at least 1), grouped by run.
    cut : (runs,) ndarray of bool
        Runs where an expired budget-tail arrival was dropped (their fill times are upper bounds).
    """

    scanners: IntArray
    first: FloatArray
    first_joins: FloatArray
    late: FloatArray
    cap_direct: FloatArray
    later: IntArray
    tail: IntArray
    invited: IntArray
    invited_times: FloatArray
    forwarder_run: IntArray
    forwarder_time: FloatArray
    forwarder_children: IntArray
    cut: NDArray[np.bool_]


def direct_wave(p: Params, rng: np.random.Generator) -> DirectWave:
    """Draw the direct wave of ``p.runs`` launches (the draws come in a fixed order: the seed contract).

    Parameters
    ----------
    p : Params
        Model parameters.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    DirectWave
        The scanners' times and what the forwarding cascade starts from.
    """
    runs = p.runs
    cap = p.scan_joins
    need = p.seats - cap
    R = p.reproduction_number
    cut = np.zeros(runs, dtype=bool)

    # The first `cap` arrivals are drawn sorted (Renyi: gap j is Exp(tau_view) / (n - j));
    # by memorylessness the later ones are iid  T_cap + Exp(tau_view), so they need no sorting at all.
    scanners = rng.poisson(p.expected_direct, runs)
    first_width = int(min(scanners.max(initial=0), cap))
    remaining = scanners[:, None] - np.arange(first_width)[None, :]
    gaps = rng.standard_exponential((runs, first_width)) / np.maximum(remaining, 1)
    first = pad(p.view_timescale_h * np.cumsum(gaps, axis=1), cap)
    first[:, :first_width][remaining <= 0] = np.inf
    cap_direct = first[:, cap - 1].copy()  # the cap-th direct arrival; inf when there are fewer
    first[first > p.qr_expiry_h] = np.inf  # the code had expired: the attempt is lost
    invited = rng.random((runs, first_width)) < p.invite_success
    delays = p.invite_delay_h * rng.standard_exponential((runs, first_width))
    first_joins = pad(np.where(invited, first[:, :first_width] + delays, np.inf), cap)

    # Later arrivals: each independently is invited-in or not, and has Poisson(R) forwards. Only the
    # invited ones and the forwarding ones can matter, so only they get an arrival time.
    later = np.maximum(scanners - cap, 0)
    shown = np.minimum(later, max(p.seats, DIRECT_BUDGET // runs))
    tail = later - shown
    successes = rng.binomial(shown, p.invite_success)
    invited_width = int(successes.max(initial=0))
    invited_times = cap_direct[:, None] + p.view_timescale_h * rng.standard_exponential((runs, max(invited_width, 1)))
    invited_times[
        (np.arange(max(invited_width, 1))[None, :] >= successes[:, None]) | (invited_times > p.qr_expiry_h)
    ] = np.inf
    later_joins = invited_times[:, :invited_width] + p.invite_delay_h * rng.standard_exponential((runs, invited_width))
    late = smallest(later_joins, need)  # later arrivals always need an invitation
    if need and (tail > 0).any():
        tail_joins, cut = _tail_invite_joins(p, tail, cap_direct, need, rng)
        late = smallest(np.concatenate([late, tail_joins], axis=1), need)
    # the not-invited later arrivals that forward at all: Binomial count, zero-truncated Poisson forwards each
    forwarders = rng.binomial(shown - successes, -np.expm1(-R)) if R > 0 else np.zeros(runs, dtype=np.int64)
    forwarder_run = np.repeat(np.arange(runs), forwarders)
    forwarder_time = cap_direct[forwarder_run] + p.view_timescale_h * rng.standard_exponential(forwarder_run.size)
    return DirectWave(
        scanners=scanners,
        first=first,
        first_joins=first_joins,
        late=late,
        cap_direct=cap_direct,
        later=later,
        tail=tail,
        invited=successes,
        invited_times=invited_times,
        forwarder_run=forwarder_run,
        forwarder_time=forwarder_time,
        forwarder_children=zero_truncated_poisson(R, forwarder_run.size, rng),
        cut=cut,
    )


def _delay_inverse_table(view_h: float, invite_h: float) -> tuple[NDArray, NDArray]:
    """CDF table of ``X = Exp(view_h) + Exp(invite_h)`` (the tail's attempt-to-join time).

    Returns ``(cdf, x)`` with ``cdf`` increasing, for ``np.interp(u, cdf, x)``.
    """
    scale = view_h + invite_h
    x = np.concatenate([[0.0], np.geomspace(1e-7 * scale, 60 * scale, 4000)])
    a, b = view_h, invite_h
    if b == 0:
        cdf = -np.expm1(-x / a)
    elif abs(a - b) < 1e-3 * max(a, b):
        # equal scales: Gamma(2); the general formula cancels catastrophically here
        m = 0.5 * (a + b)
        cdf = -np.expm1(-x / m) - (x / m) * np.exp(-x / m)
    else:
        cdf = 1.0 - (a * np.exp(-x / a) - b * np.exp(-x / b)) / (a - b)
    cdf = np.maximum.accumulate(np.clip(cdf, 0.0, 1.0))
    return cdf, x


def _tail_invite_joins(
    p: Params, tail: NDArray, last_direct: NDArray, need: int, rng: np.random.Generator
) -> tuple[NDArray, NDArray]:
    """Earliest invitation joins of direct arrivals not followed one by one.

    Given the ``K``-th direct arrival at ``last_direct``, the remaining ``tail``
    arrivals are ``last_direct + Exp(tau_view)`` (memorylessness), each joining
    with probability ``q_inv`` after ``Exp(tau_inv)``. The ``need`` earliest
    joins are order statistics of ``S ~ Binomial(tail, q_inv)`` draws of
    ``X = Exp(tau_view) + Exp(tau_inv)``. Draws whose arrival part falls after
    the expiry are removed (the run is then flagged, as a later valid join may
    be missing).

    Returns
    -------
    joins : (runs, need) ndarray of float
        Join hours, ``inf`` where there is none.
    cut : (runs,) ndarray of bool
        Runs where an expired arrival was removed.
    """
    runs = tail.size
    joins = np.full((runs, need), np.inf)
    cut = np.zeros(runs, dtype=bool)
    rows = np.flatnonzero((tail > 0) & np.isfinite(last_direct))
    if rows.size == 0 or need == 0 or p.invite_success == 0:
        return joins, cut
    successes = rng.binomial(tail[rows], p.invite_success)
    j = np.arange(need)
    remaining = successes[:, None] - j[None, :]
    spacing = rng.standard_exponential((rows.size, need)) / np.maximum(remaining, 1)
    uniform = -np.expm1(-np.cumsum(spacing, axis=1))  # smallest order statistics of U(0, 1)
    cdf, grid = _delay_inverse_table(p.view_timescale_h, p.invite_delay_h)
    x = np.interp(uniform, cdf, grid)
    # split X into its arrival part V to apply the expiry: V | X has density ~ exp(-c v) on [0, x]
    a, b = p.view_timescale_h, p.invite_delay_h
    if b == 0:
        arrival = x
    else:
        c = 1.0 / a - 1.0 / b
        u = rng.random(x.shape)
        cx = np.clip(c * x, -700, 700)
        with np.errstate(divide="ignore", invalid="ignore"):
            arrival = np.where(np.abs(cx) < 1e-9, u * x, -np.log1p(-u * -np.expm1(-cx)) / c)
    valid = (remaining > 0) & (last_direct[rows, None] + arrival <= p.qr_expiry_h)
    cut[rows] = ((remaining > 0) & ~valid).any(axis=1)
    joins[rows] = np.where(valid, last_direct[rows, None] + x, np.inf)
    return joins, cut
