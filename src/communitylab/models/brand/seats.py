"""What each Monte Carlo run of the brand model still needs to know: its scanners and invitation joins.

Join attempts arrive as flat arrays tagged with their run id (one entry per attempt,
grouped by run). :class:`Seats` keeps, for every run, the ``cap`` earliest attempts
so far (who scans the QR code in) and the ``need`` earliest invitation joins of
everyone else; from those it knows the hour of the scan limit and of a full group,
and :meth:`Seats.bound` says how late an attempt may come and still change either.
The functions below rank, trim and regroup such per-run lists without a Python loop
over runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from communitylab.models.brand.model import Params

__all__ = ["Seats", "pad", "smallest", "run_groups", "grouped", "rank_within_run", "earliest_per_run"]

#: A full run with at most this many new scanners in a generation updates its scanners one by one.
FEW_NEW_SCANNERS = 4


def pad(matrix: NDArray, k: int) -> NDArray:
    """``matrix`` with at least ``k`` columns, padded on the right with ``inf``."""
    if matrix.shape[1] >= k:
        return matrix
    return np.concatenate([matrix, np.full((matrix.shape[0], k - matrix.shape[1]), np.inf)], axis=1)


def smallest(matrix: NDArray, k: int) -> NDArray:
    """The ``k`` smallest values of each row (unordered), shape ``(rows, k)``, padded with ``inf``."""
    if matrix.shape[1] <= k:
        return pad(matrix, k)
    return np.partition(matrix, k - 1, axis=1)[:, :k]


def run_groups(run: NDArray) -> tuple[NDArray, NDArray]:
    """Each run id once, in order, and each entry's position within its run.

    ``run`` must be grouped (equal ids next to each other), as every generation is.
    """
    if run.size == 0:
        return run, np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], run[1:] != run[:-1]]))
    within = np.arange(run.size) - np.repeat(starts, np.diff(np.append(starts, run.size)))
    return run[starts], within


def grouped(run: NDArray, values: list[NDArray]) -> tuple[NDArray, list[NDArray]]:
    """Scatter flat per-attempt values, grouped by run, into ``(rows, widest)`` matrices padded with ``inf``.

    Returns the run id of each row and the matrices. ``run`` must be grouped (every
    generation is produced in run order, which saves a sort here).
    """
    rows, within = run_groups(run)
    row_of = np.cumsum(within == 0) - 1
    out = []
    for value in values:
        matrix = np.full((rows.size, int(within.max(initial=-1)) + 1), np.inf)
        matrix[row_of, within] = value
        out.append(matrix)
    return rows, out


class Seats:
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
                rows, within = run_groups(r)
                column = self.count[r] + within
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
                keep = rank_within_run(run, time, below=cap) < cap
                late_run.append(run[~keep])
                late_join.append(join[~keep])
                rows, (times, joins) = grouped(run[keep], [time[keep], join[keep]])
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
            rows, within = run_groups(r)
            column = self.late_count[r] + within
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
        keep = rank_within_run(run, join, below=self.need) < self.need  # only the earliest `need` joins can count
        rows, (joins,) = grouped(run[keep], [join[keep]])
        self.late_joins[rows] = smallest(np.concatenate([self.late_joins[rows], joins], axis=1), self.need)
        self.late_count[rows] = np.isfinite(self.late_joins[rows]).sum(axis=1)
        self.t_full[rows] = self.late_joins[rows].max(axis=1)

    def _replace_latest_joins(self, run: NDArray, join: NDArray) -> None:
        """Let each new invitation join (runs with a full list, grouped) replace its run's latest one if earlier."""
        _, within = run_groups(run)
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
        _, within = run_groups(run)
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


def rank_within_run(run: NDArray, key: NDArray, below: int | None = None) -> NDArray:
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


def earliest_per_run(run: NDArray, time: NDArray, budget: int) -> NDArray:
    """Mask keeping at most ``budget`` earliest attempts of each run."""
    return rank_within_run(run, time, below=budget) < budget
