"""Whether openers get answers: time to first reply and the unanswered rate, by reply links or turn taking."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .prepared import NS_PER_SECOND, Prepared, prepare

__all__ = ["ReplyTimes", "reply_times"]


@dataclass(frozen=True)
class ReplyTimes:
    """Time to first reply and unanswered rate.

    Attributes
    ----------
    method : str
        ``"explicit"`` (reply and thread links) or ``"heuristic"`` (turn taking).
    considered : int
        Opening messages that had the full window to get an answer.
    unanswered_rate : float
        Share of ``considered`` messages with no reply within the window.
    median_seconds, p90_seconds : float
        Median and 90th percentile time to first reply (seconds) over answered openers.
    delays : DataFrame
        One row per opening message: ``timestamp`` (UTC), ``author`` (pseudonymous id),
        ``delay_seconds`` (NaN if never answered), ``censored`` (posted less than one
        window before the export ends).
    """

    method: str
    considered: int
    unanswered_rate: float
    median_seconds: float
    p90_seconds: float
    delays: pd.DataFrame = field(repr=False)


def _explicit_first_replies(prep: Prepared, mask: NDArray[np.bool_]) -> tuple[NDArray, NDArray]:
    """(opener positions, delay ns or -1) using reply_to / thread links."""
    idx = np.flatnonzero(mask)
    ids = prep.message_id[idx]
    reply_to = prep.reply_to[idx]
    thread = prep.thread[idx]
    has_id = ids != None  # noqa: E711 (elementwise on object arrays)
    is_reply = (reply_to != None) | ((thread != None) & (thread != ids))  # noqa: E711
    opener_pos = idx[has_id & ~is_reply]
    opener_ids = pd.Index(prep.message_id[opener_pos])
    if opener_ids.has_duplicates:
        first = ~opener_ids.duplicated()
        opener_pos, opener_ids = opener_pos[first], opener_ids[first]
    reply_pos = idx[is_reply]
    targets = np.r_[prep.reply_to[reply_pos], prep.thread[reply_pos]]
    sources = np.r_[reply_pos, reply_pos]
    present = targets != None  # noqa: E711
    targets, sources = targets[present], sources[present]
    which = opener_ids.get_indexer(targets)
    hit = which >= 0
    which, sources = which[hit], sources[hit]
    root = opener_pos[which]
    delay = prep.utc_ns[sources] - prep.utc_ns[root]
    good = (prep.author[sources] != prep.author[root]) & (delay >= 0)
    first = np.full(len(opener_pos), -1, dtype=np.int64)
    if good.any():
        best = pd.Series(delay[good]).groupby(which[good]).min()
        first[best.index.to_numpy()] = best.to_numpy()
    return opener_pos, first


def _heuristic_first_replies(prep: Prepared, mask: NDArray[np.bool_], gap_ns: int) -> tuple[NDArray, NDArray]:
    """(opener positions, delay ns or -1) by turn taking.

    An opener is a message preceded by at least ``gap_ns`` of silence in its chat (or
    the chat's first message); its reply is the next message in the chat by a different
    author, if it comes before the conversation ends (before the next silence of
    ``gap_ns``).
    """
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return idx, idx.astype(np.int64)
    chat = prep.chat[idx]
    if chat.any():  # several conversations: turn taking happens within each one
        idx = idx[np.argsort(chat, kind="stable")]
        chat = prep.chat[idx]
    t = prep.utc_ns[idx]
    author = prep.author[idx]
    new_chat = np.r_[True, chat[1:] != chat[:-1]]
    opener = new_chat | np.r_[True, np.diff(t) >= gap_ns]
    run_start = new_chat | np.r_[True, author[1:] != author[:-1]]
    starts = np.flatnonzero(run_start)
    run_id = np.cumsum(run_start) - 1
    next_start = np.r_[starts[1:], -1][run_id]
    sel = np.flatnonzero(opener)
    # a reply must come before the conversation ends: before the next opener (a silence of
    # at least gap_ns, or another chat)
    conversation_end = np.r_[sel[1:], len(idx)]
    nxt = next_start[sel]
    nxt = np.where((nxt >= 0) & (nxt < conversation_end), nxt, -1)
    delay = np.where(nxt >= 0, t[np.maximum(nxt, 0)] - t[sel], -1)
    return idx[sel], delay


def reply_times(
    messages: pd.DataFrame | Prepared,
    *,
    method: str = "auto",
    window: pd.Timedelta | str = "24h",
    conversation_gap: pd.Timedelta | str = "1h",
    include_bots: bool = False,
) -> ReplyTimes:
    """Time to first reply and share of opening messages left unanswered.

    ``explicit`` method (sources with reply or thread links: Telegram, Discord, Slack):
    an *opener* is a message that is not itself a reply (no ``reply_to``, and no
    ``thread`` other than its own id). Its *first reply* is the earliest message by a
    different author whose ``reply_to`` or ``thread`` names it.

    ``heuristic`` method (sources without links, such as most WeChat and WhatsApp
    exports): messages separated by less than ``conversation_gap`` form one conversation;
    its first message is the opener, and its first reply is the first message in the same
    conversation by a different author (a conversation nobody else joins is unanswered).
    This turn-taking rule is our own documented approximation, not a published measure:
    it misses answers that come after a longer silence and counts unrelated chatter as an
    answer.

    ``auto`` uses ``explicit`` when any message carries a ``reply_to`` or ``thread``,
    otherwise ``heuristic``.

    An opener is *unanswered* if no reply arrives within ``window``. Openers posted less
    than one window before the export ends are *censored*: they are kept in ``delays`` but
    left out of ``considered`` and ``unanswered_rate``. Time to first reply (median and
    90th percentile, a standard support/community-management measure; practitioner
    definition) is taken over openers that got a reply at any time. Bot messages are
    neither openers nor replies unless ``include_bots``.
    """
    prep = prepare(messages)
    mask = prep.member_messages(include_bots)
    window_ns = pd.Timedelta(window).value
    gap_ns = pd.Timedelta(conversation_gap).value
    if method == "auto":
        linked = (prep.reply_to[mask] != None) | (prep.thread[mask] != None)  # noqa: E711
        method = "explicit" if linked.any() else "heuristic"
    if method == "explicit":
        pos, delay = _explicit_first_replies(prep, mask)
    elif method == "heuristic":
        pos, delay = _heuristic_first_replies(prep, mask, gap_ns)
    else:
        raise ValueError(f"method must be 'auto', 'explicit' or 'heuristic', not {method!r}")
    censored = prep.utc_ns[pos] > prep.end_ns - window_ns
    answered_in_window = (delay >= 0) & (delay <= window_ns)
    considered = int((~censored).sum())
    unanswered = float(1 - answered_in_window[~censored].mean()) if considered else float("nan")
    seconds = np.where(delay >= 0, delay / NS_PER_SECOND, np.nan)
    answered = seconds[~np.isnan(seconds)]
    delays = pd.DataFrame(
        {
            "timestamp": pd.to_datetime(prep.utc_ns[pos], utc=True),
            "author": prep.author_ids[prep.author[pos]] if len(pos) else np.array([], dtype=object),
            "delay_seconds": seconds,
            "censored": censored,
        }
    )
    return ReplyTimes(
        method=method,
        considered=considered,
        unanswered_rate=unanswered,
        median_seconds=float(np.median(answered)) if len(answered) else float("nan"),
        p90_seconds=float(np.percentile(answered, 90)) if len(answered) else float("nan"),
        delays=delays,
    )
