"""Model 5: personal brand, filling a WeChat group through a QR code (module 05).

An operator posts a group QR code. Join attempts come in two ways:

* **Direct wave.** ``n0 ~ Poisson(F * reach * join)`` followers see the post and
  scan; their attempt times are independent ``Exp(tau_view)`` (hours), because
  attention to a post decays fast.
* **Forwarding.** Every person who scans also shares the poster: they bring
  ``Poisson(R)`` further attempts, each ``Exp(tau_fwd)`` hours later, with the
  reproduction number ``R = fwd * k_fwd * reach2 * join2``. This is the
  independent cascade of Kempe, Kleinberg & Tardos (2003) on a tree, i.e. a
  Galton-Watson branching process: subcritical (``R < 1``) cascades stay small,
  as Goel, Watts & Goldstein (2012) observed for almost all online diffusion.

Attempts after the QR code expires (``expiry_h``) are lost. The first
``qr_cap`` attempts join by scanning; after that the code stops working and each
later attempt succeeds only by invitation from a member, with probability
``q_inv`` after a further ``Exp(tau_inv)`` hours. Forwarding goes on regardless.
Each Monte Carlo run reports the hour of the ``qr_cap``-th join (the scan limit,
``t_200`` with WeChat's reported limit) and of the ``seats``-th join (a full
group, ``t_500``); ``inf`` when it never happens.

Why it is fast (the naive prototype took 1.8 s for an influencer):

* Only the first ``cap`` direct arrivals (the possible scanners) are drawn in
  order, as order statistics of exponentials (Renyi's representation: the gap
  before the ``j``-th of ``n`` arrivals is ``Exp(tau_view) / (n - j + 1)``). By
  memorylessness every later arrival is ``T_cap + Exp(tau_view)``, independent
  and unsorted; of those, only the ones an invitation lets in and the ones who
  forward at all (``Binomial`` counts) get a time, so an influencer's thousand
  direct scans per run cost a few hundred numbers.
* Whatever a run can still change is bounded: adding attempts can only make the
  scan limit and the full group come *earlier*, so the fill times computed from
  the attempts seen so far are upper bounds, and any attempt later than that
  bound (or than the expiry) is dropped together with its whole subtree.
  Forwarding generations are flat arrays with run ids, pruned by this bound
  after every generation.
* Direct arrivals beyond a budget (audiences of many thousands of scans per
  run) need an invitation anyway; the earliest of their invitation joins are
  drawn directly as order statistics of ``Exp(tau_view) + Exp(tau_inv)``. Their
  own forwards are not followed; the runs where that could matter are counted
  in ``Result.approximate_runs``.
* Explosive settings (``R`` in the hundreds, or rare invitations that need tens
  of thousands of attempts) are capped by a per-run budget of followed
  attempts; the capped runs are counted in ``Result.approximate_runs`` too, and
  their fill times are upper bounds.

Spec shorthand -> names here: F followers, reach reach, join join_rate,
tau_view view_timescale_h, fwd forward_share, k_fwd forward_audience, reach2
second_reach, join2 second_join, tau_fwd forward_delay_h, qr_cap scan_cap,
seats seats, q_inv invite_success, tau_inv invite_delay_h, expiry_h qr_expiry_h,
R runs.

References
----------
Kempe, Kleinberg & Tardos (2003), Proc. 9th ACM SIGKDD, 137-146.
Goel, Watts & Goldstein (2012), Proc. 13th ACM Conference on Electronic Commerce.
WeChat limits (500 members, scan limit 200, 7-day QR validity) are commonly
reported, not verified to an official page: see the Info panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._params import ModelParams, param
from communitylab.models._sweep import sweep_model

__all__ = ["Params", "Result", "simulate", "sweep", "galton_watson_sizes", "fill_probability"]

#: Direct arrivals followed one by one, summed over all runs (memory and time cap).
DIRECT_BUDGET = 1_500_000
#: Forwarded attempts followed, summed over all runs; a run beyond its share is
#: no longer followed and counts as approximate (its fill times are upper bounds).
FORWARD_BUDGET = 1_000_000
#: A run follows at most this many generations' worth of its per-generation budget in total.
TOTAL_BUDGET_GENERATIONS = 4
#: Safety stop for the generation loop (pruning ends it long before in practice).
MAX_GENERATIONS = 5_000
#: A full run with at most this many new scanners in a generation updates its scanners one by one.
FEW_NEW_SCANNERS = 4
#: Points of the fill-probability curves.
CURVE_POINTS = 201


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the QR-code group-fill model. Times are in hours."""

    model: ClassVar[str] = "brand"

    # Your audience (direct wave)
    followers: int = param(300, unit="people", lo=1, hi=10_000_000, step=1, integer=True, group="audience", log=True)
    reach: float = param(0.3, unit="fraction", lo=0, hi=1, step=0.01, group="audience")
    join_rate: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="audience")
    view_timescale_h: float = param(3.0, unit="hours", lo=0.05, hi=72, step=0.05, group="audience", log=True)
    # Forwarding (the cascade)
    forward_share: float = param(0.2, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    forward_audience: float = param(150.0, unit="people", lo=1, hi=5000, step=1, group="forwarding", log=True)
    second_reach: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    second_join: float = param(0.1, unit="fraction", lo=0, hi=1, step=0.01, group="forwarding")
    forward_delay_h: float = param(4.0, unit="hours", lo=0.1, hi=72, step=0.1, group="forwarding", log=True)
    # WeChat's rules
    scan_cap: int = param(200, unit="members", lo=1, hi=500, step=1, integer=True, group="wechat")
    seats: int = param(500, unit="members", lo=1, hi=500, step=1, integer=True, group="wechat")
    invite_success: float = param(0.5, unit="probability", lo=0, hi=1, step=0.01, group="wechat")
    invite_delay_h: float = param(2.0, unit="hours", lo=0, hi=48, step=0.1, group="wechat")
    qr_expiry_h: float = param(168.0, unit="hours", lo=1, hi=168, step=1, group="wechat")
    # Simulation
    runs: int = param(1000, unit="runs", lo=50, hi=5000, step=50, integer=True, group="simulation")

    @property
    def reproduction_number(self) -> float:
        """Mean further join attempts each scanner brings by forwarding, ``R = fwd * k_fwd * reach2 * join2``."""
        return self.forward_share * self.forward_audience * self.second_reach * self.second_join

    @property
    def expected_direct(self) -> float:
        """Mean number of followers who scan the code directly, ``F * reach * join`` (people)."""
        return self.followers * self.reach * self.join_rate

    @property
    def scan_joins(self) -> int:
        """Members who can join by scanning: the scan limit, or the group size if that is smaller."""
        return min(self.scan_cap, self.seats)


@dataclass(frozen=True)
class Result:
    """Outcome of ``params.runs`` Monte Carlo runs.

    Attributes
    ----------
    params : Params
        The parameters of the runs.
    hours_to_scan_cap : (runs,) ndarray of float
        Hour of the ``scan_joins``-th join in each run (``t_200``); ``inf`` if never.
    hours_to_full : (runs,) ndarray of float
        Hour of the ``seats``-th join in each run (``t_500``); ``inf`` if never.
    direct_scanners : (runs,) ndarray of int
        Followers who scanned directly in each run (``n0``), expired or not.
    attempts_followed : (runs,) ndarray of int
        Join attempts the simulation accounted for: every direct scan after the
        scan limit plus the earlier ones before the expiry, and the forwarded
        attempts it followed. Forwarded attempts that could no longer change a
        run's fill times are not followed, so for a run that fills this is less
        than all attempts.
    hours : (CURVE_POINTS,) ndarray of float
        Time grid of the fill curves (hours).
    scan_cap_probability, full_probability : (CURVE_POINTS,) ndarray of float
        Share of runs that reached the scan limit / a full group by each hour.
    approximate_runs : int
        Runs whose fill times are upper bounds rather than exact (a budget or the
        direct-wave truncation cut attempts that might have mattered).
    """

    params: Params
    hours_to_scan_cap: NDArray[np.float64]
    hours_to_full: NDArray[np.float64]
    direct_scanners: NDArray[np.int64]
    attempts_followed: NDArray[np.int64]
    hours: NDArray[np.float64]
    scan_cap_probability: NDArray[np.float64]
    full_probability: NDArray[np.float64]
    approximate_runs: int

    def summary(self) -> dict[str, float]:
        """Monitor values over the runs.

        Returns
        -------
        dict
            ``scan_cap_median_h``, ``scan_cap_p10_h``, ``scan_cap_p90_h`` and
            ``full_median_h``, ``full_p10_h``, ``full_p90_h`` (hours; ``inf`` when
            fewer than that share of runs got there), ``reach_scan_cap_pct`` and
            ``fill_pct`` (% of runs), ``direct_scanners_mean`` (people),
            ``reproduction_number`` (R).
        """
        out: dict[str, float] = {}
        for name, times in (("scan_cap", self.hours_to_scan_cap), ("full", self.hours_to_full)):
            # inverted_cdf picks an observed value, so runs that never fill (inf) give inf, never NaN
            p10, p50, p90 = np.quantile(times, [0.1, 0.5, 0.9], method="inverted_cdf")
            out[f"{name}_median_h"] = float(p50)
            out[f"{name}_p10_h"] = float(p10)
            out[f"{name}_p90_h"] = float(p90)
        out["reach_scan_cap_pct"] = float(100 * np.isfinite(self.hours_to_scan_cap).mean())
        out["fill_pct"] = float(100 * np.isfinite(self.hours_to_full).mean())
        out["direct_scanners_mean"] = float(self.direct_scanners.mean())
        out["reproduction_number"] = float(self.params.reproduction_number)
        return out

    def series(self) -> dict[str, NDArray[np.float64]]:
        """The fill-probability curves by name (x axis: ``hours``)."""
        return {"scan_cap_probability": self.scan_cap_probability, "full_probability": self.full_probability}


# -- helpers ---------------------------------------------------------------------------


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


def fill_probability(times: NDArray[np.float64], hours: NDArray[np.float64]) -> NDArray[np.float64]:
    """Share of runs whose time is at most each hour (empirical CDF; ``inf`` never counts)."""
    ordered = np.sort(times)
    return np.searchsorted(ordered, hours, side="right") / max(times.size, 1)


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


def _zero_truncated_poisson(mean: float, size: int, rng: np.random.Generator) -> NDArray[np.int64]:
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


def _pad(matrix: NDArray, k: int) -> NDArray:
    """``matrix`` with at least ``k`` columns, padded on the right with ``inf``."""
    if matrix.shape[1] >= k:
        return matrix
    return np.concatenate([matrix, np.full((matrix.shape[0], k - matrix.shape[1]), np.inf)], axis=1)


def _smallest(matrix: NDArray, k: int) -> NDArray:
    """The ``k`` smallest values of each row (unordered), shape ``(rows, k)``, padded with ``inf``."""
    if matrix.shape[1] <= k:
        return _pad(matrix, k)
    return np.partition(matrix, k - 1, axis=1)[:, :k]


def _grouped(run: NDArray, values: list[NDArray]) -> tuple[NDArray, list[NDArray]]:
    """Scatter flat per-attempt values, grouped by run, into ``(rows, widest)`` matrices padded with ``inf``.

    Returns the run id of each row and the matrices. ``run`` must be non-decreasing
    (every generation is produced in run order, which saves a sort here).
    """
    starts = np.flatnonzero(np.concatenate([[True], run[1:] != run[:-1]])) if run.size else np.empty(0, np.int64)
    rows = run[starts]
    counts = np.diff(np.append(starts, run.size))
    row_of = np.repeat(np.arange(rows.size), counts)
    column = np.arange(run.size) - np.repeat(starts, counts)
    out = []
    for value in values:
        matrix = np.full((rows.size, int(counts.max(initial=0))), np.inf)
        matrix[row_of, column] = value
        out.append(matrix)
    return rows, out


class _Seats:
    """What each run still needs to know to time its scan limit and its full group.

    The ``cap`` earliest attempts so far (the scanners) with the hour each would
    join if invited instead, and the ``need`` earliest invitation joins of all
    other attempts. This is exact: an attempt pushed out of the earliest ``cap``
    never returns, and only the earliest ``need`` invitation joins can fill the
    group. Adding attempts only ever makes both times earlier.
    """

    def __init__(self, cap_times: NDArray, cap_joins: NDArray, late_joins: NDArray, need: int):
        self.cap_times, self.cap_joins, self.late_joins, self.need = cap_times, cap_joins, late_joins, need
        # the scanners so far fill columns [0, count) of each row; the rest is inf
        self.count = np.isfinite(cap_times).sum(axis=1)
        self.t_cap = cap_times.max(axis=1)  # inf while fewer than `cap` attempts
        self.t_full = late_joins.max(axis=1) if need else self.t_cap.copy()
        # the invitation joins so far fill columns [0, late_count) of each row; the rest is inf
        self.late_joins.sort(axis=1)
        self.late_count = np.isfinite(self.late_joins).sum(axis=1)

    def absorb(self, run: NDArray, time: NDArray, join: NDArray) -> None:
        """Add new attempts (flat arrays grouped by run)."""
        cap = self.cap_times.shape[1]
        scans = time < self.t_cap[run]
        late_run, late_join = [run[~scans]], [join[~scans]]
        if scans.any():
            run, time, join = run[scans], time[scans], join[scans]
            new = np.bincount(run, minlength=self.count.size)
            room = (self.count + new <= cap)[run]
            if room.any():
                # runs with room left just append: no partition needed
                r = run[room]
                starts = np.flatnonzero(np.concatenate([[True], r[1:] != r[:-1]]))
                rows = r[starts]
                column = self.count[r] + np.arange(r.size) - np.repeat(starts, np.diff(np.append(starts, r.size)))
                self.cap_times[r, column] = time[room]
                self.cap_joins[r, column] = join[room]
                self.count[rows] += new[rows]
                self.t_cap[rows] = np.where(self.count[rows] == cap, self.cap_times[rows].max(axis=1), np.inf)
                if not self.need:
                    self.t_full[rows] = self.t_cap[rows]
                run, time, join = run[~room], time[~room], join[~room]
            if run.size:
                # full runs with a few new early attempts: each replaces the latest scanner (no partition)
                few = (self.count[run] == cap) & (new[run] <= FEW_NEW_SCANNERS)
                if few.any():
                    self._replace_latest(run[few], time[few], join[few], late_run, late_join)
                    run, time, join = run[~few], time[~few], join[~few]
            if run.size:
                # only a run's `cap` earliest new attempts can scan; later ones go straight to invitations
                keep = _rank_within_run(run, time, below=cap) < cap
                late_run.append(run[~keep])
                late_join.append(join[~keep])
                rows, (times, joins) = _grouped(run[keep], [time[keep], join[keep]])
                times = np.concatenate([self.cap_times[rows], times], axis=1)
                joins = np.concatenate([self.cap_joins[rows], joins], axis=1)
                order = np.argpartition(times, cap - 1, axis=1)
                self.cap_times[rows] = np.take_along_axis(times, order[:, :cap], axis=1)
                self.cap_joins[rows] = np.take_along_axis(joins, order[:, :cap], axis=1)
                self.t_cap[rows] = self.cap_times[rows].max(axis=1)
                self.count[rows] = cap
                pushed = np.take_along_axis(joins, order[:, cap:], axis=1)  # now need an invitation
                invited = pushed < np.inf
                late_run.append(np.broadcast_to(rows[:, None], pushed.shape)[invited])
                late_join.append(pushed[invited])
                if not self.need:
                    self.t_full[rows] = self.t_cap[rows]
        if not self.need:
            return
        run, join = np.concatenate(late_run), np.concatenate(late_join)
        useful = join < self.t_full[run]
        if not useful.any():
            return
        run, join = run[useful], join[useful]
        if len(late_run) > 1:  # pushed-out scanners were appended after the new attempts: regroup
            order = np.argsort(run, kind="stable")
            run, join = run[order], join[order]
        new = np.bincount(run, minlength=self.late_count.size)
        room = (self.late_count + new <= self.need)[run]
        if room.any():
            # runs still short of `need` invitation joins just append (t_full stays inf until the last one)
            r = run[room]
            starts = np.flatnonzero(np.concatenate([[True], r[1:] != r[:-1]]))
            rows = r[starts]
            column = self.late_count[r] + np.arange(r.size) - np.repeat(starts, np.diff(np.append(starts, r.size)))
            self.late_joins[r, column] = join[room]
            self.late_count[rows] += new[rows]
            full = rows[self.late_count[rows] == self.need]
            self.t_full[full] = self.late_joins[full].max(axis=1)
            run, join = run[~room], join[~room]
            if not run.size:
                return
        few = (self.late_count[run] == self.need) & (new[run] <= FEW_NEW_SCANNERS)
        if few.any():
            # a full list and a few new joins: each replaces the list's latest if it is earlier
            self._replace_latest_joins(run[few], join[few])
            run, join = run[~few], join[~few]
            if not run.size:
                return
        keep = _rank_within_run(run, join, below=self.need) < self.need  # only the earliest `need` joins can count
        rows, (joins,) = _grouped(run[keep], [join[keep]])
        self.late_joins[rows] = _smallest(np.concatenate([self.late_joins[rows], joins], axis=1), self.need)
        self.late_count[rows] = np.isfinite(self.late_joins[rows]).sum(axis=1)
        self.t_full[rows] = self.late_joins[rows].max(axis=1)

    def _replace_latest_joins(self, run: NDArray, join: NDArray) -> None:
        """Let each new invitation join (runs with a full list, grouped) replace its run's latest one if earlier."""
        starts = np.flatnonzero(np.concatenate([[True], run[1:] != run[:-1]]))
        within = np.arange(run.size) - np.repeat(starts, np.diff(np.append(starts, run.size)))
        for k in range(int(within.max()) + 1):
            at = within == k
            rows, j = run[at], join[at]
            current = self.late_joins[rows]
            latest = current.argmax(axis=1)
            earlier = j < current[np.arange(rows.size), latest]
            r = rows[earlier]
            self.late_joins[r, latest[earlier]] = j[earlier]
            self.t_full[r] = self.late_joins[r].max(axis=1)

    def _replace_latest(self, run: NDArray, time: NDArray, join: NDArray, late_run: list, late_join: list) -> None:
        """Let each new attempt (runs full, grouped) displace its run's latest scanner if it is earlier."""
        starts = np.flatnonzero(np.concatenate([[True], run[1:] != run[:-1]]))
        within = np.arange(run.size) - np.repeat(starts, np.diff(np.append(starts, run.size)))
        for k in range(int(within.max()) + 1):
            at = within == k
            rows, t, j = run[at], time[at], join[at]
            current = self.cap_times[rows]
            latest = current.argmax(axis=1)
            earlier = t < current[np.arange(rows.size), latest]
            # the displaced scanner, or the new attempt itself if it is not earlier, needs an invitation
            late_run.append(rows)
            late_join.append(np.where(earlier, self.cap_joins[rows, latest], j))
            r, c = rows[earlier], latest[earlier]
            self.cap_times[r, c] = t[earlier]
            self.cap_joins[r, c] = j[earlier]
            self.t_cap[r] = self.cap_times[r].max(axis=1)
        if not self.need:
            self.t_full[run] = self.t_cap[run]

    def bound(self, p: Params) -> NDArray:
        """Latest hour at which an attempt can still change each run's fill times."""
        needed = self.t_full if (self.need and p.invite_success > 0) else self.t_cap
        return np.minimum(needed, p.qr_expiry_h)


def _rank_within_run(run: NDArray, key: NDArray, below: int | None = None) -> NDArray:
    """Rank of each entry by ``key`` within its run (0 = smallest), for trimming runs to their earliest entries.

    Only runs with more than ``below`` entries are ranked (the others get 0, the common case costs no sort).
    """
    counts = np.bincount(run)
    rank = np.zeros(run.size, dtype=np.int64)
    crowded = counts[run] > (below if below is not None else -1)
    if not crowded.any():
        return rank
    which = np.flatnonzero(crowded)
    sub_run, sub_key = run[which], key[which]
    finite = np.isfinite(sub_key)
    top = float(sub_key[finite].max(initial=0.0)) + 1.0
    # one float sort instead of a lexsort: run + key scaled into [0, 1); inf keys sort last within their run
    composite = sub_run + np.where(finite, sub_key / top, 0.999999) * 0.999
    order = np.argsort(composite)
    sub_counts = np.bincount(sub_run, minlength=counts.size)
    starts = np.cumsum(sub_counts) - sub_counts
    sub_rank = np.empty(which.size, dtype=np.int64)
    sub_rank[order] = np.arange(which.size) - starts[sub_run[order]]
    rank[which] = sub_rank
    return rank


def _earliest_per_run(run: NDArray, time: NDArray, budget: int) -> NDArray:
    """Mask keeping at most ``budget`` earliest attempts of each run."""
    return _rank_within_run(run, time, below=budget) < budget


# -- the model -------------------------------------------------------------------------


def simulate(params: Params, seed: int = 0) -> Result:
    """Simulate ``params.runs`` independent QR-code launches.

    Parameters
    ----------
    params : Params
        Model parameters.
    seed : int
        Seed; same seed and parameters give identical output.

    Returns
    -------
    Result
        Per-run fill times and the fill-probability curves.
    """
    p = params
    rng = np.random.default_rng(seed)
    runs = p.runs
    cap = p.scan_joins
    need = p.seats - cap
    R = p.reproduction_number
    approximate = np.zeros(runs, dtype=bool)

    # Direct wave. The first `cap` arrivals are drawn sorted (Renyi: gap j is Exp(tau_view) / (n - j));
    # by memorylessness the later ones are iid  T_cap + Exp(tau_view), so they need no sorting at all.
    scanners = rng.poisson(p.expected_direct, runs)
    first_width = int(min(scanners.max(initial=0), cap))
    remaining = scanners[:, None] - np.arange(first_width)[None, :]
    gaps = rng.standard_exponential((runs, first_width)) / np.maximum(remaining, 1)
    first = _pad(p.view_timescale_h * np.cumsum(gaps, axis=1), cap)
    first[:, :first_width][remaining <= 0] = np.inf
    cap_direct = first[:, cap - 1].copy()  # the cap-th direct arrival; inf when there are fewer
    first[first > p.qr_expiry_h] = np.inf  # the code had expired: the attempt is lost
    invited = rng.random((runs, first_width)) < p.invite_success
    delays = p.invite_delay_h * rng.standard_exponential((runs, first_width))
    first_joins = _pad(np.where(invited, first[:, :first_width] + delays, np.inf), cap)

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
    late = _smallest(later_joins, need)  # later arrivals always need an invitation
    if need and (tail > 0).any():
        tail_joins, cut = _tail_invite_joins(p, tail, cap_direct, need, rng)
        late = _smallest(np.concatenate([late, tail_joins], axis=1), need)
        approximate |= cut
    seats = _Seats(first.copy(), first_joins, late, need)
    bound = seats.bound(p)
    # the not-invited later arrivals that forward at all: Binomial count, zero-truncated Poisson forwards each
    forwarders = rng.binomial(shown - successes, -np.expm1(-R)) if R > 0 else np.zeros(runs, dtype=np.int64)
    forwarder_run = np.repeat(np.arange(runs), forwarders)
    forwarder_time = cap_direct[forwarder_run] + p.view_timescale_h * rng.standard_exponential(forwarder_run.size)
    forwarder_children = _zero_truncated_poisson(R, forwarder_run.size, rng)

    # Forwarding, generation by generation, pruned to attempts before each run's bound
    per_run_budget = max(2 * p.seats, FORWARD_BUDGET // runs)
    followed = np.zeros(runs, dtype=np.int64)
    parent_run, parent_time = np.empty(0, dtype=np.int64), np.empty(0)
    for generation in range(MAX_GENERATIONS + 1):
        if R == 0:
            break
        if generation == MAX_GENERATIONS:
            approximate[parent_run] = True
            break
        if generation == 0:
            # children of the first arrivals and of the invited later ones: Poisson(R * arrivals) per
            # run, each with a uniform parent; children of parents past the bound are pruned below anyway
            eligible = (first <= bound[:, None]).sum(axis=1)  # sorted: a prefix
            from_first, from_invited = rng.poisson(R * eligible), rng.poisson(R * successes)
            from_forwarders = np.bincount(forwarder_run, weights=forwarder_children, minlength=runs)
            drawn = from_first + from_invited + from_forwarders
            if (drawn > per_run_budget).any():
                # an explosive R: keep a random share of each overfull run's children (flagged approximate)
                share = np.minimum(1.0, per_run_budget / np.maximum(drawn, 1))
                approximate |= share < 1
                from_first, from_invited = rng.binomial(from_first, share), rng.binomial(from_invited, share)
                forwarder_children = rng.binomial(forwarder_children, share[forwarder_run])
            per_run = from_first + from_invited
            child_run = np.repeat(np.arange(runs), per_run)
            rank = np.arange(child_run.size) - np.repeat(np.cumsum(per_run) - per_run, per_run)
            uniform = rng.random(child_run.size)
            pick_first = np.minimum((uniform * eligible[child_run]).astype(np.int64), cap - 1)
            pick_invited = np.minimum((uniform * successes[child_run]).astype(np.int64), max(invited_width, 1) - 1)
            child_time = np.where(
                rank < from_first[child_run], first[child_run, pick_first], invited_times[child_run, pick_invited]
            )
            # add the forwarders' children; a stable sort of sorted pieces restores run order cheaply
            child_run = np.concatenate([child_run, np.repeat(forwarder_run, forwarder_children)])
            child_time = np.concatenate([child_time, np.repeat(forwarder_time, forwarder_children)])
            order = np.argsort(child_run, kind="stable")
            child_run, child_time = child_run[order], child_time[order]
        else:
            keep = parent_time <= bound[parent_run]
            parent_run, parent_time = parent_run[keep], parent_time[keep]
            if parent_run.size == 0:
                break
            # Poisson(R * parents) children per run, each with a uniform parent of that run
            parents = np.bincount(parent_run, minlength=runs)
            children = rng.poisson(R * parents)
            if (children > per_run_budget).any():
                approximate |= children > per_run_budget  # uniform parents: clipping is random thinning
                children = np.minimum(children, per_run_budget)
            child_run = np.repeat(np.arange(runs), children)
            first_parent = np.cumsum(parents) - parents
            pick = first_parent[child_run] + (rng.random(child_run.size) * parents[child_run]).astype(np.int64)
            child_time = parent_time[pick]
        if child_run.size == 0:
            break
        child_time = child_time + p.forward_delay_h * rng.standard_exponential(child_time.size)
        keep = child_time <= bound[child_run]
        child_run, child_time = child_run[keep], child_time[keep]
        # a run beyond the budget keeps its earliest attempts of this generation (its times become upper bounds)
        keep = _earliest_per_run(child_run, child_time, per_run_budget)
        if not keep.all():
            approximate[child_run[~keep]] = True
            child_run, child_time = child_run[keep], child_time[keep]
        # a run that has used up its share of the total budget is no longer followed (flagged approximate)
        exhausted = followed >= TOTAL_BUDGET_GENERATIONS * per_run_budget
        if exhausted.any():
            approximate |= exhausted & (np.bincount(child_run, minlength=runs) > 0)
            keep = ~exhausted[child_run]
            child_run, child_time = child_run[keep], child_time[keep]
        followed += np.bincount(child_run, minlength=runs)
        child_join = np.full(child_time.size, np.inf)
        invited = np.flatnonzero(rng.random(child_time.size) < p.invite_success)
        child_join[invited] = child_time[invited] + p.invite_delay_h * rng.standard_exponential(invited.size)
        seats.absorb(child_run, child_time, child_join)
        bound = seats.bound(p)
        parent_run, parent_time = child_run, child_time

    t_cap, t_full = seats.t_cap, seats.t_full
    # forwards of the direct arrivals beyond the budget are not followed; they come after the cap-th arrival
    approximate |= (tail > 0) & (t_full > cap_direct)
    direct_followed = np.isfinite(first).sum(axis=1) + later
    finite = np.concatenate([t_cap[np.isfinite(t_cap)], t_full[np.isfinite(t_full)]])
    horizon = float(finite.max()) * 1.05 if finite.size else p.qr_expiry_h
    hours = np.linspace(0.0, horizon, CURVE_POINTS)
    return Result(
        params=p,
        hours_to_scan_cap=t_cap,
        hours_to_full=t_full,
        direct_scanners=scanners,
        attempts_followed=direct_followed + followed,
        hours=hours,
        scan_cap_probability=fill_probability(t_cap, hours),
        full_probability=fill_probability(t_full, hours),
        approximate_runs=int(approximate.sum()),
    )


def sweep(params: Params, field: str, values, runs: int = 1, seed: int = 0, progress: bool | None = None):
    """Summaries of runs over values of one parameter, as a tidy DataFrame (see :func:`sweep_model`)."""
    return sweep_model(simulate, params, field, values, runs=runs, seed=seed, progress=progress)
