"""The last steps of every import: from the importer's raw frames to the ``Messages`` table.

Importers never build a list of per-message dicts. They append each field to its own
Python list (or, for CSV, work on pandas chunks) and turn the lists into one pandas column
at a time, giving raw frames with the columns :data:`RAW_COLUMNS`. :func:`finish` joins
them, drops rows whose time cannot be used and repeated message ids (each with a reason in
the report), sorts by time and pseudonymises authors and the names and contact details in
texts. The message strings are shared between the raw columns and the final table, so a
1,000,000-message export costs about one copy of its text plus a few pointer arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from communitylab.data.pseudonymise import Pseudonymiser
from communitylab.data.schema import COLUMNS, KINDS, SOURCES, ImportReport

from ._names import scrub_events, scrub_texts
from ._options import Options
from ._times import EARLIEST_YEAR, LATEST_YEAR, bad_times
from ._workers import scrub_shared

#: Columns of the raw frame every importer hands to :func:`finish`: the ``Messages`` columns
#: before pseudonymisation (the raw ``author_key`` in place of ``author_id``; no ``source``),
#: plus ``raw_time`` (the time as written, for problem messages), ``file`` (index into the
#: list of file names) and ``where`` (1-based line or record).
RAW_COLUMNS = ("message_id", "timestamp", "raw_time", "author_key", *COLUMNS[3:9], "is_bot", "file", "where")
_STRING = pd.StringDtype()
_TEXT_COLUMNS = ("message_id", "author_key", "author_name", "text", "reply_to", "thread", "chat")


def raw_frame(where: Sequence[int] | np.ndarray, **columns: Any) -> pd.DataFrame:
    """A raw frame with one row per record number in ``where`` (1-based line or record).

    ``timestamp``, ``raw_time`` and ``kind`` must be given (lists, arrays or Series, taken by
    position); any other column of :data:`RAW_COLUMNS` left out is empty: text columns
    ``<NA>``, ``is_bot`` False, ``file`` 0 (the only file).
    """
    n = len(where)
    out: dict[str, Any] = {}
    for name in RAW_COLUMNS:
        value = columns.get(name)
        if name == "where":
            out[name] = np.asarray(where, dtype=np.int64)
        elif name in _TEXT_COLUMNS:
            if value is None:  # all <NA>, without checking a list of n Nones cell by cell
                out[name] = pd.Series(pd.NA, index=pd.RangeIndex(n), dtype="string").array
            elif isinstance(value, pd.Series) and value.dtype == _STRING:
                out[name] = value.array  # already checked cell by cell: not again
            else:
                out[name] = pd.array(value, dtype="string")
        elif name == "is_bot":
            out[name] = np.zeros(n, dtype=bool) if value is None else np.asarray(value, dtype=bool)
        elif name == "file":
            out[name] = np.zeros(n, dtype=np.int32) if value is None else np.asarray(value, dtype=np.int32)
        elif name == "timestamp":
            out[name] = value.array if isinstance(value, pd.Series) else value
        else:  # raw_time, kind: Python objects as read
            out[name] = np.asarray(value, dtype=object)
    return pd.DataFrame(out)


def empty_raw_frame() -> pd.DataFrame:
    """A raw frame with no rows (an export whose every record was dropped)."""
    return raw_frame([], timestamp=pd.Series([], dtype="datetime64[ns, UTC]"), raw_time=[], kind=[])


def finish(
    parts: list[pd.DataFrame],
    report: ImportReport,
    files: list[str],
    where_word: str,
    source: str,
    options: Options,
    *,
    describe_time: Callable[[Any], str] | None = None,
    pool: Executor | None = None,
) -> pd.DataFrame:
    """Turn raw frames into the final ``Messages`` table and complete ``report``.

    Steps: drop rows whose time could not be read; drop repeated message ids (per chat);
    sort by time; pseudonymise authors and mask contact details (unless opted out).

    Parameters
    ----------
    parts : list of DataFrame
        Raw frames with the columns :data:`RAW_COLUMNS`.
    report : ImportReport
        Report to update; dropped records were already counted by the importer.
    files : list of str
        Display names of the files, indexed by the ``file`` column.
    where_word : str
        ``"line"`` or ``"record"``.
    source : str
        One of :data:`~communitylab.data.schema.SOURCES`.
    options : Options
        Time zone, privacy settings.
    pool : Executor, optional
        Worker processes (a large import): the per-text work on names and contact details
        is shared between them, with the same result as in one process.
    """
    parts = [p for p in parts if len(p)]
    raw = pd.concat(parts, ignore_index=True) if parts else empty_raw_frame()
    del parts

    bad_time = bad_times(raw["timestamp"])
    if bad_time.any():
        rows = raw.loc[bad_time, ["file", "where", "raw_time", "timestamp"]].itertuples(index=False)
        for file_index, where, value, stamp in rows:
            shown = describe_time(value) if describe_time else _describe_time(value)
            reason = (
                f"the time {shown} could not be read"
                if pd.isna(stamp)
                else f"the date {shown} is outside {EARLIEST_YEAR}-{LATEST_YEAR}, so it is damaged"
            )
            report.drop(files[file_index], f"{where_word} {where}", reason)
        raw = raw.loc[~bad_time].reset_index(drop=True)

    has_id = raw["message_id"].notna().to_numpy()
    # A repeat of (chat, id) repeats the id: where no id repeats at all (the usual export),
    # one hash pass over the ids settles it without pairing them with the chats.
    if has_id.any() and (raw["message_id"].duplicated(keep="first").to_numpy() & has_id).any():
        repeated = raw.duplicated(subset=["chat", "message_id"], keep="first").to_numpy() & has_id
        if repeated.any():
            rows = raw.loc[repeated, ["file", "where", "message_id"]].itertuples(index=False)
            for file_index, where, message_id in rows:
                report.drop(
                    files[file_index], f"{where_word} {where}", f"message id {message_id} appeared earlier (kept once)"
                )
            report.duplicates += int(repeated.sum())
            raw = raw.loc[~repeated].reset_index(drop=True)

    raw["timestamp"] = raw["timestamp"].dt.as_unit("ns")
    if not raw["timestamp"].is_monotonic_increasing:
        order = np.argsort(raw["timestamp"].array.asi8, kind="stable")
        raw = raw.take(order).reset_index(drop=True)

    report.keep(len(raw))
    author_key = raw["author_key"].fillna(raw["author_name"])
    if options.pseudonymise:
        pseudonymiser = Pseudonymiser(options.secret, project=options.project, language=options.language)
        own = _own_keys(raw, author_key, options)
        author_id, author_name = pseudonymiser.columns(source, author_key, keep_raw=own)
        if own:  # the user's own messages keep their display name too
            mine = author_key.isin(own).fillna(False).to_numpy(bool)
            author_name[mine] = raw["author_name"].fillna(author_key)[mine]
        texts, names = scrub_events(raw, author_key, author_name, pseudonymiser, source)
        # A large import shares the per-text work with a worker process (same texts as one process).
        text = scrub_texts(texts, names) if pool is None else scrub_shared(texts, names, pool)
    else:
        author_id = author_key.astype("string")
        author_name = raw["author_name"].fillna(author_key).astype("string")
        text = raw["text"].astype("string")

    return pd.DataFrame(
        {
            "message_id": raw["message_id"].astype("string"),
            "timestamp": raw["timestamp"],
            "author_id": author_id,
            "author_name": author_name,
            "text": text,
            "kind": pd.Categorical(raw["kind"], categories=KINDS),
            "reply_to": raw["reply_to"].astype("string"),
            "thread": raw["thread"].astype("string"),
            "chat": raw["chat"].astype("string"),
            "source": pd.Categorical.from_codes(np.full(len(raw), SOURCES.index(source)), categories=SOURCES),
            "is_bot": raw["is_bot"].astype(bool),
        },
        columns=list(COLUMNS),
        copy=False,  # the columns are new or belong to raw, which is dropped: no second copy
    )


def _own_keys(raw: pd.DataFrame, author_key: pd.Series, options: Options) -> set[str]:
    """Raw author keys the user opted out for, matched by id or by display name."""
    if not options.keep_own:
        return set()
    wanted = set(options.keep_own)
    by_key = author_key.isin(wanted) | raw["author_name"].isin(wanted).fillna(False)
    return set(author_key[by_key.to_numpy(dtype=bool)].dropna().astype(str))


def _describe_time(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(missing)"
    text = str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))
