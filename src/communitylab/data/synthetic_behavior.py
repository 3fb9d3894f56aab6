"""How the members of the synthetic community behave: when they are there, when they post, whom they answer.

:func:`communitylab.data.synthetic.generate_community` assembles a chat log; this module
holds the behavior it assembles it from, so the generator reads as "who posts what" and
the choices about timing, membership and replies can be read (and changed) in one place:

- :func:`member_presence`: the days each member is engaged (the participation model's
  buzz against their threshold), the day they join and the day they leave;
- :func:`sample_days` and :func:`times_of_day`: the day and the local time of each post;
- :func:`membership_events`: the join and leave rows around each member's messages;
- :func:`draw_replies`: which messages answer which.

The model's part and the generator's additions are described in
:mod:`communitylab.data.synthetic`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from communitylab.models import participation

__all__ = [
    "DIURNAL_PROFILE",
    "LAUNCH_HOUR",
    "NS_PER_DAY",
    "NS_PER_SECOND",
    "draw_replies",
    "member_presence",
    "membership_events",
    "sample_days",
    "times_of_day",
]

NS_PER_SECOND = 10**9
NS_PER_DAY = 86_400 * NS_PER_SECOND

#: Local hour at which the group opens on launch day (founders join from 7 am).
LAUNCH_HOUR = 8
#: Relative posting intensity by local hour 0..23: quiet nights, a lunch bump and an
#: evening peak (an [assumption] shaped after typical group-chat activity; not fitted).
DIURNAL_PROFILE: tuple[float, ...] = (
    0.6,
    0.3,
    0.15,
    0.1,
    0.1,
    0.15,
    0.4,
    1.0,
    1.6,
    1.8,
    1.9,
    2.0,
    2.4,
    2.0,
    1.7,
    1.7,
    1.8,
    1.9,
    2.1,
    2.6,
    3.0,
    3.1,
    2.6,
    1.5,
)


def times_of_day(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds after local midnight drawn from :data:`DIURNAL_PROFILE`."""
    weights = np.asarray(DIURNAL_PROFILE) / np.sum(DIURNAL_PROFILE)
    hours = rng.choice(24, size=size, p=weights)
    return hours * 3600 + rng.integers(0, 3600, size=size)


def sample_days(weights: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """For each row ``i`` draw ``counts[i]`` days with probabilities proportional to ``weights[i]``.

    Vectorised inverse-CDF sampling: each row's normalised cumulative weights are
    shifted by the row index, so one ``searchsorted`` on the flattened matrix serves
    every row at once.

    Returns
    -------
    rows, days : (sum(counts),) ndarray of int
    """
    totals = weights.sum(axis=1)
    usable = (totals > 0) & (counts > 0)
    rows_used = np.flatnonzero(usable)
    cum = np.cumsum(weights[rows_used], axis=1) / totals[rows_used, None]
    cum[:, -1] = 1.0
    n_days = weights.shape[1]
    flat = (cum + np.arange(len(rows_used))[:, None]).ravel()
    local_row = np.repeat(np.arange(len(rows_used)), counts[rows_used])
    # keep u strictly inside (0, 1) so a draw never lands on the next row's boundary
    u = rng.random(len(local_row)) * (1 - 1e-12)
    pos = np.searchsorted(flat, local_row + u, side="right")
    days = np.minimum(pos - local_row * n_days, n_days - 1)
    return rows_used[local_row], days


def member_presence(
    p: participation.Params, result: participation.Result, newcomer_share: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which days each member is engaged and in the group, and when they join and leave.

    Parameters
    ----------
    p : participation.Params
        The parameters of the model run (``members``, ``days``, ``leave_rate``).
    result : participation.Result
        The model run (``member_threshold``, ``buzz``, ``habit``).
    newcomer_share : float
        Share of members who join after launch (uniformly over the first 80 % of the run).
    rng : numpy.random.Generator
        Draws join days first, then leave days.

    Returns
    -------
    engaged : (members, days) ndarray of bool
        The member's threshold is at or below the day's buzz (everyone on launch day).
    join_day : (members,) ndarray of int
        Day the member joins (0 for founders).
    leave_day : (members,) ndarray of int
        Day the member leaves; ``days`` for members who stay to the end.
    present : (members, days) ndarray of bool
        The member has joined and not yet left.
    """
    n, days = p.members, p.days
    # members are in threshold order, so the engaged members of a day are a prefix
    engaged_count = np.searchsorted(result.member_threshold, result.buzz, side="right")
    engaged_count[0] = n
    member = np.arange(n)
    engaged = member[:, None] < engaged_count[None, :]  # (n, days)

    newcomer = rng.random(n) < newcomer_share
    join_day = np.where(newcomer, rng.integers(1, max(2, int(0.8 * days)), size=n), 0)
    after_join = np.arange(days)[None, :] >= join_day[:, None]
    disengaged = ~engaged & after_join & (np.arange(days)[None, :] >= 1)
    first_off = np.where(disengaged.any(axis=1), disengaged.argmax(axis=1), days)
    # Leaving: from the first disengaged day on, the model's daily hazard
    # leave_rate * (1 - habit(t)); drawn by inverting the cumulative hazard.
    hazard = -np.log(np.clip(1.0 - p.leave_rate * (1.0 - result.habit), 1e-12, 1.0))
    cumulative = np.r_[0.0, np.cumsum(hazard)]  # cumulative[t] = hazard of days before t
    start_at = cumulative[np.minimum(first_off, days)]
    leave_day = np.searchsorted(cumulative, start_at + rng.exponential(size=n), side="left") - 1
    leave_day = np.where((first_off < days) & (leave_day < days), np.maximum(leave_day, first_off), days)
    present = after_join & (np.arange(days)[None, :] < leave_day[:, None])
    return engaged, join_day, leave_day, present


def membership_events(frame, ids, join_day, leave_day, days, operators, bot_ids, base, rng) -> pd.DataFrame:
    """Join and leave events, placed before each member's first and after their last message.

    Operators and bots join on launch day and never leave; members who never leave carry
    ``leave_day == days``.
    """
    special = len(operators) + len(bot_ids)
    everyone = np.r_[list(operators), list(bot_ids), ids].astype(object)
    join = np.r_[np.zeros(special, np.int64), join_day]
    leave = np.r_[np.full(special, days, np.int64), leave_day]
    # founders arrive in launch day's first hours; newcomers at a random time of their day
    launch_time = 7 * 3600 + rng.integers(0, 3 * 3600, len(everyone))
    join_ns = (
        base + join * NS_PER_DAY + np.where(join == 0, launch_time, times_of_day(rng, len(everyone))) * NS_PER_SECOND
    )
    by_author = frame.groupby("author")["local_ns"]
    first_msg = by_author.min().reindex(everyone).to_numpy(dtype=np.float64)
    last_msg = by_author.max().reindex(everyone).to_numpy(dtype=np.float64)
    has_msg = ~np.isnan(first_msg)
    first_ns = np.where(has_msg, first_msg, 0).astype(np.int64)
    last_ns = np.where(has_msg, last_msg, 0).astype(np.int64)
    # a member's join must come before their first message (and not before launch)
    join_ns = np.where(has_msg, np.minimum(join_ns, first_ns - 60 * NS_PER_SECOND), join_ns)
    join_ns = np.maximum(join_ns, base)
    leaving = np.flatnonzero(leave < days)
    leave_ns = base + leave[leaving] * NS_PER_DAY + times_of_day(rng, len(leaving)) * NS_PER_SECOND
    leave_ns = np.where(has_msg[leaving], np.maximum(leave_ns, last_ns[leaving] + 60 * NS_PER_SECOND), leave_ns)
    joins = pd.DataFrame({"local_ns": join_ns, "author": everyone, "kind": "join", "text": None, "role": 5})
    leaves = pd.DataFrame({"local_ns": leave_ns, "author": everyone[leaving], "kind": "leave", "text": None, "role": 6})
    return pd.concat([joins, leaves], ignore_index=True)


def draw_replies(frame: pd.DataFrame, reply_share: float, rng: np.random.Generator) -> np.ndarray:
    """``reply_to`` (1-based message number as str, or None) for every row of the time-sorted frame.

    Candidates are member, moderator and check-in messages of kind text/media/sticker.
    A reply answers one of the few most recent openers (geometric, mean 2) written by
    someone else; a candidate with no such opener stays an opener itself.
    """
    role = frame["role"].to_numpy()
    kind = frame["kind"].to_numpy(dtype=object)
    author = frame["author"].to_numpy(dtype=object)
    cand = np.flatnonzero((role <= 2) & (kind != "join") & (kind != "leave") & (kind != "system"))
    out = np.full(len(frame), None, dtype=object)
    if len(cand) < 2:
        return out
    wants = rng.random(len(cand)) < reply_share
    wants[0] = False
    is_root = ~wants
    roots = cand[is_root]
    roots_before = np.cumsum(is_root) - is_root  # openers strictly before each candidate
    back = rng.geometric(0.5, size=len(cand))
    for shift in (0, 1):  # second try one opener further back if the first is one's own
        rank = roots_before - back - shift
        ok = wants & (rank >= 0) & (out[cand] == None)  # noqa: E711
        target = roots[np.maximum(rank, 0)]
        ok &= author[target] != author[cand]
        out[cand[ok]] = (target[ok] + 1).astype(str)
    return out
