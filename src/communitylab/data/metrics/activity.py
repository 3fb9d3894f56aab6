"""Who is active when: daily, weekly and monthly active members, stickiness, cohort retention."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .prepared import NS_PER_DAY, Prepared, prepare

__all__ = ["active_users", "stickiness", "cohort_retention"]

#: 1970-01-01 was a Thursday: adding 3 days makes integer weeks start on Monday.
_MONDAY_SHIFT = 3


def _unique_pairs(author: NDArray[np.int64], period: NDArray[np.int64]) -> tuple[NDArray, NDArray]:
    """Distinct (author, period) pairs, sorted by author then period."""
    if len(author) == 0:
        return author, period
    lo = int(period.min())
    span = int(period.max()) - lo + 1
    keys = np.unique(author * span + (period - lo))
    return keys // span, keys % span + lo


def _days_index(first_day: int, last_day: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(np.arange(first_day, last_day + 1) * NS_PER_DAY), name="date")


def _distinct_in_trailing_window(authors: NDArray, days: NDArray, first_day: int, n_days: int, window: int) -> NDArray:
    """Distinct authors active in the ``window`` days ending on each day.

    Each distinct (author, day) pair covers the windows ending on ``day .. day+window-1``,
    cut short at the author's next active day so nobody is counted twice; a difference
    array turns the covers into counts in one pass.
    """
    if len(days) == 0:
        return np.zeros(n_days, dtype=np.int64)
    local = days - first_day
    next_local = np.empty_like(local)
    next_local[:-1] = np.where(authors[1:] == authors[:-1], local[1:], np.iinfo(np.int64).max)
    next_local[-1] = np.iinfo(np.int64).max
    stop = np.minimum(local + window, next_local)
    stop = np.minimum(stop, n_days)
    delta = np.bincount(local, minlength=n_days + 1)[: n_days + 1].astype(np.int64)
    delta -= np.bincount(stop, minlength=n_days + 1)[: n_days + 1]
    return np.cumsum(delta)[:n_days]


def active_users(messages: pd.DataFrame | Prepared, *, include_bots: bool = False) -> pd.DataFrame:
    """Daily, weekly and monthly active members and stickiness, one row per calendar day.

    Definitions (practitioner definitions from product analytics, e.g. the DAU/MAU
    "stickiness" ratio popularised for social apps; no peer-reviewed source):

    - ``messages``: messages posted that day.
    - ``dau``: distinct authors with at least one message that day.
    - ``wau``: distinct authors with a message in the 7 days ending that day (inclusive).
    - ``mau``: distinct authors with a message in the 30 days ending that day (inclusive).
    - ``stickiness``: ``dau / mau`` (share of the month's active members who came that
      day); 0 where ``mau`` is 0.

    "Active" here means *posted*: chat exports do not record reading, so lurkers are
    invisible to these counts.

    Returns
    -------
    DataFrame
        Index ``date`` (every local calendar day from the first to the last message);
        columns ``messages``, ``dau``, ``wau``, ``mau`` (int) and ``stickiness`` (float).
    """
    prep = prepare(messages)
    mask = prep.member_messages(include_bots)
    days = prep.day[mask]
    if len(days) == 0:
        return pd.DataFrame(columns=["messages", "dau", "wau", "mau", "stickiness"], index=_days_index(0, -1))
    first_day, last_day = int(days.min()), int(days.max())
    n_days = last_day - first_day + 1
    pair_author, pair_day = _unique_pairs(prep.author[mask], days)
    counts = np.bincount(days - first_day, minlength=n_days)
    dau = np.bincount(pair_day - first_day, minlength=n_days)
    wau = _distinct_in_trailing_window(pair_author, pair_day, first_day, n_days, 7)
    mau = _distinct_in_trailing_window(pair_author, pair_day, first_day, n_days, 30)
    with np.errstate(divide="ignore", invalid="ignore"):
        sticky = np.where(mau > 0, dau / np.maximum(mau, 1), 0.0)
    return pd.DataFrame(
        {"messages": counts, "dau": dau, "wau": wau, "mau": mau, "stickiness": sticky},
        index=_days_index(first_day, last_day),
    )


def stickiness(activity: pd.DataFrame) -> float:
    """Average stickiness: mean DAU divided by mean MAU (practitioner definition).

    Only days with a full 30-day look-back (from the 30th day of data on) are used, so
    the ramp-up at the start of an export does not inflate it; exports shorter than 30
    days use every day. Returns NaN for an empty table.
    """
    if len(activity) == 0:
        return float("nan")
    full = activity.iloc[29:] if len(activity) >= 30 else activity
    mau = float(full["mau"].mean())
    return float(full["dau"].mean() / mau) if mau > 0 else float("nan")


def cohort_retention(messages: pd.DataFrame | Prepared, *, include_bots: bool = False) -> pd.DataFrame:
    """Weekly cohort retention table.

    A member's cohort is the Monday-start week of their first message; they are
    *retained* in week ``k`` if they post at least once in the ``k``-th week after that
    (week 0 is the cohort week, so it is always 1). This is the classic cohort table of
    product analytics (practitioner definition; e.g. Mixpanel/Amplitude "retention"
    reports) applied to posting.

    Returns
    -------
    DataFrame
        Index ``cohort`` (the Monday each cohort week starts, local date); first column
        ``members`` (cohort size), then columns ``0, 1, 2, ...`` (weeks since joining) with
        the retained fraction in [0, 1]; NaN where that week lies after the data ends.
    """
    prep = prepare(messages)
    mask = prep.member_messages(include_bots)
    week = (prep.day[mask] + _MONDAY_SHIFT) // 7
    if len(week) == 0:
        return pd.DataFrame({"members": []}, index=pd.DatetimeIndex([], name="cohort"))
    pair_author, pair_week = _unique_pairs(prep.author[mask], week)
    starts = np.r_[True, pair_author[1:] != pair_author[:-1]]
    first_week = np.repeat(pair_week[starts], np.diff(np.r_[np.flatnonzero(starts), len(pair_author)]))
    w0, w1 = int(week.min()), int(week.max())
    n_weeks = w1 - w0 + 1
    cohort = first_week - w0
    since = pair_week - first_week
    cells = np.bincount(cohort * n_weeks + since, minlength=n_weeks * n_weeks).reshape(n_weeks, n_weeks)
    sizes = cells[:, 0]
    keep = sizes > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        share = cells / sizes[:, None]
    observed = np.arange(n_weeks)[None, :] < (n_weeks - np.arange(n_weeks))[:, None]
    share = np.where(observed, share, np.nan)[keep]
    monday = (np.arange(w0, w1 + 1)[keep] * 7 - _MONDAY_SHIFT) * NS_PER_DAY
    table = pd.DataFrame(share, index=pd.DatetimeIndex(pd.to_datetime(monday), name="cohort"), columns=range(n_weeks))
    table.insert(0, "members", sizes[keep])
    return table
