"""The columns every health metric needs, extracted from the ``Messages`` table once.

:func:`prepare` sorts the table by time and turns its columns into numpy arrays (authors
as integer codes, local calendar days as integers); every metric accepts either the table
or this :class:`Prepared` form, so :func:`~communitylab.data.metrics.compute_all` pays
for the extraction once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from communitylab.data.schema import EVENT_KINDS

__all__ = ["NS_PER_DAY", "NS_PER_SECOND", "Prepared", "prepare"]

NS_PER_DAY = 86_400 * 10**9
NS_PER_SECOND = 10**9


@dataclass(frozen=True)
class Prepared:
    """The columns every metric needs, extracted once, sorted by time.

    Attributes
    ----------
    utc_ns : (n,) ndarray of int64
        Timestamps in nanoseconds since the epoch (UTC), ascending.
    day : (n,) ndarray of int64
        Local calendar day number (days since 1970-01-01 in the data's time zone).
    author : (n,) ndarray of int64
        Author code, an index into ``author_ids``; -1 where the author is missing.
    author_ids, author_names : (a,) ndarray of object
        Pseudonymous id and display name of each author code.
    is_message : (n,) ndarray of bool
        Not a service event.
    is_bot : (n,) ndarray of bool
    kind : (n,) ndarray of object
    message_id, reply_to, thread : (n,) ndarray of object
        ``None`` where missing.
    chat : (n,) ndarray of int64
        Conversation code (channel, room); all 0 when the table has no ``chat`` column.
    tz : tzinfo or None
    """

    utc_ns: NDArray[np.int64]
    day: NDArray[np.int64]
    author: NDArray[np.int64]
    author_ids: NDArray[np.object_]
    author_names: NDArray[np.object_]
    is_message: NDArray[np.bool_]
    is_bot: NDArray[np.bool_]
    kind: NDArray[np.object_]
    message_id: NDArray[np.object_]
    reply_to: NDArray[np.object_]
    thread: NDArray[np.object_]
    chat: NDArray[np.int64]
    tz: object = None

    @property
    def size(self) -> int:
        return len(self.utc_ns)

    @property
    def end_ns(self) -> int:
        """Timestamp of the last row (the end of the observation window)."""
        return int(self.utc_ns[-1]) if self.size else 0

    def member_messages(self, include_bots: bool = False) -> NDArray[np.bool_]:
        """Mask of messages with a known author, bots left out unless asked for."""
        mask = self.is_message & (self.author >= 0)
        return mask if include_bots else mask & ~self.is_bot


def _object_or_none(column: pd.Series | None, n: int) -> NDArray[np.object_]:
    if column is None:
        return np.full(n, None, dtype=object)
    return column.astype(object).where(column.notna(), None).to_numpy(dtype=object)


def prepare(messages: pd.DataFrame | Prepared) -> Prepared:
    """Extract and sort the columns the metrics use (idempotent).

    Rows without a timestamp are left out. Missing optional columns (``is_bot``,
    ``reply_to``, ``thread``, ``message_id``, ``author_name``) are treated as empty.
    """
    if isinstance(messages, Prepared):
        return messages
    frame = messages[messages["timestamp"].notna()] if messages["timestamp"].hasnans else messages
    # pandas may store seconds or microseconds; every computation below is in nanoseconds
    stamps = pd.DatetimeIndex(frame["timestamp"]).as_unit("ns")
    tz = stamps.tz
    if tz is None:
        stamps = stamps.tz_localize("UTC")
    utc_ns = stamps.asi8
    local_ns = stamps.tz_localize(None).asi8
    order = np.argsort(utc_ns, kind="stable")
    n = len(frame)
    # author codes in order of first appearance in time, so "who posted first" breaks ties
    if "author_id" in frame:
        codes, uniques = pd.factorize(frame["author_id"].iloc[order])
        restore = np.empty(n, dtype=np.int64)
        restore[order] = np.arange(n)
        codes = np.asarray(codes, dtype=np.int64)[restore]
    else:
        codes, uniques = np.full(n, -1, dtype=np.int64), pd.Index([])
    if "author_name" in frame and len(uniques):
        first_row = pd.Series(order).groupby(codes[order]).first()
        first_row = first_row[first_row.index >= 0]
        names = frame["author_name"].to_numpy(dtype=object)[first_row.to_numpy()]
    else:
        names = np.asarray(uniques, dtype=object)
    kind = frame["kind"] if "kind" in frame else pd.Series("text", index=frame.index)
    is_event = kind.isin(EVENT_KINDS).to_numpy()
    is_bot = frame["is_bot"].fillna(False).to_numpy(dtype=bool) if "is_bot" in frame else np.zeros(n, bool)
    chat = np.asarray(pd.factorize(frame["chat"])[0], dtype=np.int64) if "chat" in frame else np.zeros(n, np.int64)
    return Prepared(
        utc_ns=utc_ns[order],
        day=np.floor_divide(local_ns[order], NS_PER_DAY),
        author=np.asarray(codes, dtype=np.int64)[order],
        author_ids=np.asarray(uniques, dtype=object),
        author_names=np.asarray(names, dtype=object),
        is_message=~is_event[order],
        is_bot=is_bot[order],
        kind=kind.to_numpy(dtype=object)[order],
        message_id=_object_or_none(frame.get("message_id"), n)[order],
        reply_to=_object_or_none(frame.get("reply_to"), n)[order],
        thread=_object_or_none(frame.get("thread"), n)[order],
        chat=chat[order],
        tz=tz,
    )
