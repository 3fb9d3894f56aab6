"""Who carries the community and who stays: operator share, newcomer activation, churn."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .prepared import NS_PER_DAY, Prepared, prepare

__all__ = ["operator_share", "newcomer_activation", "churn"]


def operator_share(
    messages: pd.DataFrame | Prepared,
    *,
    operators: Iterable[str] | None = None,
    top_k: int = 3,
) -> dict[str, object]:
    """Shares of all messages written by members, by operators and by bots.

    Operators are the ``author_id`` values in ``operators`` if given. Otherwise the rule is:
    the ``top_k`` human authors with the most messages (ties broken by who posted first)
    stand in for the owner and admins, since exports rarely mark admins; with
    ``top_k=0`` nobody is an operator. Bot messages are counted separately as
    ``bot_share`` (bots are set up by operators, so "operator-generated" content is
    ``operator_share + bot_share``). Member-generated share is the rest. The split of
    user- vs operator-generated content is a practitioner measure of community health
    (a community that only its hosts keep talking is not yet self-sustaining).

    Returns
    -------
    dict
        ``member_share``, ``operator_share``, ``bot_share`` (floats summing to 1, NaN with
        no messages), ``operators`` (list of pseudonymous ids), ``rule`` (``"given"`` or
        ``"top_k"``).
    """
    prep = prepare(messages)
    msg = prep.is_message & (prep.author >= 0)
    total = int(msg.sum())
    human = msg & ~prep.is_bot
    if operators is not None:
        wanted = set(operators)
        op_codes = np.array([i for i, a in enumerate(prep.author_ids) if a in wanted], dtype=np.int64)
        rule = "given"
    else:
        counts = np.bincount(prep.author[human], minlength=len(prep.author_ids))
        order = np.lexsort((np.arange(len(counts)), -counts))
        op_codes = order[: max(top_k, 0)]
        op_codes = op_codes[counts[op_codes] > 0]
        rule = "top_k"
    is_op = np.zeros(len(prep.author_ids), dtype=bool)
    is_op[op_codes] = True
    if total == 0:
        return {
            "member_share": float("nan"),
            "operator_share": float("nan"),
            "bot_share": float("nan"),
            "operators": [str(prep.author_ids[c]) for c in op_codes],
            "rule": rule,
        }
    op_msgs = int((human & is_op[np.maximum(prep.author, 0)]).sum())
    bot_msgs = int((msg & prep.is_bot).sum())
    return {
        "member_share": (total - op_msgs - bot_msgs) / total,
        "operator_share": op_msgs / total,
        "bot_share": bot_msgs / total,
        "operators": [str(prep.author_ids[c]) for c in op_codes],
        "rule": rule,
    }


def newcomer_activation(messages: pd.DataFrame | Prepared, *, within_days: float = 7) -> dict[str, float]:
    """Share of newcomers who post within ``within_days`` of joining.

    Joiners are the authors of ``join`` events (the author of a join event is the
    member who joined), taken at their first join. A joiner is *activated* if they post a
    message in ``[join, join + within_days]``. Joiners who joined less than
    ``within_days`` before the export ends are censored (left out). Newcomer activation
    is an onboarding measure of product analytics (practitioner definition); in online
    communities most newcomers never post, which is where the 90-9-1 pattern starts.

    Returns
    -------
    dict
        ``joiners`` (considered), ``activated``, ``rate`` (NaN if no joiners),
        ``censored``. Sources without join events give ``joiners == 0``.
    """
    prep = prepare(messages)
    window_ns = int(within_days * NS_PER_DAY)
    joins = (prep.kind == "join") & (prep.author >= 0) & ~prep.is_bot
    join_author = prep.author[joins]
    join_time = prep.utc_ns[joins]
    uniq, first = np.unique(join_author, return_index=True)  # rows are in time order
    join_author, join_time = uniq, join_time[first]
    censored = join_time > prep.end_ns - window_ns
    join_author, join_time = join_author[~censored], join_time[~censored]
    lookup = np.full(len(prep.author_ids) + 1, -1, dtype=np.int64)
    lookup[join_author] = np.arange(len(join_author))
    msg = prep.member_messages(False)
    which = lookup[prep.author[msg]]
    mine = which >= 0
    which, t = which[mine], prep.utc_ns[msg][mine]
    lag = t - join_time[which]
    hit = np.unique(which[(lag >= 0) & (lag <= window_ns)])
    joiners = len(join_author)
    return {
        "joiners": joiners,
        "activated": len(hit),
        "rate": len(hit) / joiners if joiners else float("nan"),
        "censored": int(censored.sum()),
    }


def churn(
    messages: pd.DataFrame | Prepared, *, silent_days: float = 30, include_bots: bool = False
) -> dict[str, float]:
    """Share of once-active members who have gone silent (or left) by the end of the export.

    A member is *eligible* if their first message is at least ``silent_days`` before the
    export ends (they had the chance to be seen silent). An eligible member has
    *churned* if their last message is at least ``silent_days`` before the end, or if a
    ``leave`` event of theirs follows their last message. This inactivity-window
    definition of churn is the usual one for non-contractual settings where nobody
    cancels (practitioner definition; see e.g. Fader & Hardie's discussion of
    "lost-for-good" customers in non-contractual settings).

    Returns
    -------
    dict
        ``eligible``, ``churned``, ``left`` (eligible members with a leave event after
        their last message), ``rate`` (NaN if nobody is eligible).
    """
    prep = prepare(messages)
    window_ns = int(silent_days * NS_PER_DAY)
    msg = prep.member_messages(include_bots)
    a = prep.author[msg]
    t = prep.utc_ns[msg]
    n_auth = len(prep.author_ids)
    big = np.iinfo(np.int64).max
    first = np.full(n_auth, big, dtype=np.int64)
    last = np.full(n_auth, -big, dtype=np.int64)
    if len(a):
        uniq, i_first = np.unique(a, return_index=True)
        first[uniq] = t[i_first]
        uniq_r, i_last = np.unique(a[::-1], return_index=True)
        last[uniq_r] = t[::-1][i_last]
    cutoff = prep.end_ns - window_ns
    eligible = first <= cutoff
    silent = eligible & (last <= cutoff)
    leaves = (prep.kind == "leave") & (prep.author >= 0)
    left = np.zeros(n_auth, dtype=bool)
    la = prep.author[leaves]
    after = prep.utc_ns[leaves] >= last[la]
    left[la[after]] = True
    left &= eligible
    churned = silent | left
    n_eligible = int(eligible.sum())
    return {
        "eligible": n_eligible,
        "churned": int(churned.sum()),
        "left": int(left.sum()),
        "rate": int(churned.sum()) / n_eligible if n_eligible else float("nan"),
    }
