"""Telegram messages, as decoded from ``result.json``, translated into the raw columns of :mod:`._finish`.

Shared by the single-process reader and the worker processes of :mod:`.telegram`: a batch
of decoded message dicts becomes a raw batch (:func:`raw_batch`), and raw batches become
columns (:func:`message_columns`), the vectorised translation of types, senders, texts and times.
:func:`drop_entities` cuts the ``text_entities`` member out of a window of JSON before it
is decoded.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._finish import RAW_COLUMNS
from ._times import from_epoch_seconds, parse_iso

_JOIN_ACTIONS = frozenset({"invite_members", "join_group_by_link", "join_group_by_request", "add_members"})
_LEAVE_ACTIONS = frozenset({"remove_members", "leave_group"})
_MEDIA_KEYS = frozenset({"location_information", "contact_information", "poll", "game_title"})


#: ``"text_entities"`` repeats ``text`` as a list of typed pieces; the importer reads
#: ``text`` only, so in pretty-printed exports the member is cut out before decoding (about a
#: third less JSON to decode). The pattern matches only the member's own lines: a comma and
#: line break, the key at some indentation, then either ``[]`` or lines indented deeper and a
#: closing ``]`` at the key's indentation; JSON strings cannot hold raw line breaks, so it
#: cannot match inside a message text.
_ENTITIES = re.compile(rb',\n(?P<ind>[ \t]*)"text_entities": \[(?:\]|\n(?:(?P=ind)[ \t]+[^\n]*\n)*?(?P=ind)\])')

#: Fields read from each message (anything else, e.g. ``text_entities``, is ignored).
_FIELDS = [
    "id",
    "type",
    "date",
    "date_unixtime",
    "from",
    "from_id",
    "actor",
    "actor_id",
    "action",
    "text",
    "reply_to_message_id",
    "media_type",
    "sticker_emoji",
    "photo",
    "file",
    "via_bot",
    *sorted(_MEDIA_KEYS),
]


_ALWAYS = frozenset({"id", "type", "date", "date_unixtime", "from", "from_id", "text"})


def raw_batch(batch: list, first: int) -> tuple[pd.DataFrame | None, list[int]]:
    """Raw frame of one decoded batch (record numbers from ``first``) and the numbers of
    elements that are not message objects."""
    dropped: list[int] = []
    if set(map(type, batch)) == {dict}:  # the usual case, checked without a Python loop
        objects, where = batch, np.arange(first, first + len(batch), dtype=np.int64)
    else:
        objects, numbers = [], []
        for offset, m in enumerate(batch):
            if m.__class__ is dict:
                objects.append(m)
                numbers.append(first + offset)
            else:
                dropped.append(first + offset)
        where = np.asarray(numbers, dtype=np.int64)
    if not objects:
        return None, dropped
    # Fields no message of the batch has need no column (a plain chat has no service
    # messages, polls or inline bots); the union of the keys is one C-level pass.
    present = set().union(*map(dict.keys, objects))
    fields = [f for f in _FIELDS if f in _ALWAYS or f in present]
    # dtype=object: no type inference per column (the importer checks types itself).
    raw = pd.DataFrame(objects, columns=fields, dtype=object).reindex(columns=_FIELDS)
    raw["_where"] = where
    return raw, dropped


_ENTITIES_KEY = b'"text_entities": ['
_entities_at: dict[bytes, re.Pattern[bytes]] = {}


def drop_entities(window: bytes) -> bytes:
    """``_ENTITIES`` removed from a window of bytes, the same result in about half the time.

    Members of a pretty-printed export all stand at one indentation, so the pattern is
    first run with that indentation written out (a literal start the regex engine skips to
    quickly, and possessive repeats that never backtrack); if any ``text_entities`` is left
    (another indentation), the general pattern runs on the original window instead.
    """
    at = window.find(_ENTITIES_KEY)
    if at < 0:
        return window  # every match of _ENTITIES holds the key
    indent = window[window.rfind(b"\n", 0, at) + 1 : at]
    pattern = _entities_at.get(indent)
    if pattern is None:
        ind = re.escape(indent)
        if indent.strip(b" \t"):
            return _ENTITIES.sub(b"", window)
        pattern = _entities_at[indent] = re.compile(
            b",\n" + ind + b'"text_entities": \\[(?:\\]|\n(?:' + ind + b"[ \t][^\n]*+\n)*+" + ind + b"\\])"
        )
    dropped = pattern.sub(b"", window)
    if _ENTITIES_KEY[:-3] in dropped:
        return _ENTITIES.sub(b"", window)
    return dropped


def unpack(columns: dict[str, object]) -> pd.DataFrame:
    """The raw frame of the columns a worker sent (see :func:`.telegram._window_frame`)."""
    columns["author_name"] = pd.Series(columns.pop("name_values")[columns.pop("name_codes")], dtype="string")
    columns["author_key"] = pd.Series(columns.pop("key_values")[columns.pop("key_codes")], dtype="string")
    columns["kind"] = _KIND_NAMES[columns.pop("kind")]
    # The columns were just unpickled (or made) for this frame alone: no copy of them.
    return pd.DataFrame({name: columns[name] for name in RAW_COLUMNS}, copy=False)


#: Values of the kind column, in the order of the codes :func:`message_columns` gives.
_KIND_NAMES = np.array(["text", "media", "sticker", "system", "join", "leave"], dtype=object)


def message_columns(
    raw: pd.DataFrame, where: np.ndarray, tag: str, chat_id: str | None, zone: str
) -> dict[str, object]:
    """The raw frame's columns; kind as codes into :data:`_KIND_NAMES`, and the author names
    and keys as codes (``name_codes``, ``key_codes``; -1 for none) into their distinct values
    (``name_values``, ``key_values``).

    Codes cross from a worker to the main process as one integer array, where a string per
    message would each be pickled and rebuilt; the main process's table then holds one
    string object per author, not per message."""
    service = (raw["type"] == "service").to_numpy()
    action = raw["action"]
    kind = np.zeros(len(raw), dtype=np.int8)
    media = (raw["photo"].notna() | raw["file"].notna() | raw["media_type"].notna()).to_numpy().copy()
    for key in _MEDIA_KEYS:
        media |= raw[key].notna().to_numpy()
    kind[media] = 1
    kind[((raw["media_type"] == "sticker") | raw["sticker_emoji"].notna()).to_numpy()] = 2
    kind[service] = 3
    kind[service & action.isin(_JOIN_ACTIONS).to_numpy()] = 4
    kind[service & action.isin(_LEAVE_ACTIONS).to_numpy()] = 5
    author_key = raw["from_id"].where(~service, raw["actor_id"])
    author = raw["from"].where(~service, raw["actor"])
    author = _only(author, (str,))
    when = raw["date_unixtime"].where(raw["date_unixtime"].notna(), raw["date"])
    when = _only(when, (str, int, float))
    # Plain text, or rich text as a list; empty text and anything else (a missing key is NaN) is no text.
    text = [
        (t or None) if t.__class__ is str else (_flatten_text(t) or None) if t.__class__ is list else None
        for t in raw["text"].tolist()
    ]
    names = pd.Series(author, dtype="string")
    # Test each distinct sender name once, not each message.
    codes, uniques = pd.factorize(names)
    distinct = uniques.tolist()
    bot_name = np.array([u.lower().endswith("bot") for u in distinct] + [False], dtype=bool)
    is_bot = raw["via_bot"].notna().to_numpy() | bot_name[codes]
    key_codes, key_uniques = pd.factorize(_ids(author_key))
    return {
        "message_id": _tagged(raw["id"], tag),
        "timestamp": _parse_times(when, zone).array,
        "raw_time": when,
        "key_codes": key_codes,
        "key_values": np.array([*key_uniques.tolist(), None], dtype=object),  # code -1 picks the None
        "name_codes": codes,
        "name_values": np.array([*distinct, None], dtype=object),  # code -1 picks the None
        "text": pd.Series(text, dtype="string"),
        "kind": kind,
        "reply_to": _tagged(raw["reply_to_message_id"], tag),
        "thread": pd.Series(pd.NA, index=raw.index, dtype="string"),
        "chat": pd.Series(chat_id, index=raw.index, dtype="string"),
        "is_bot": is_bot,
        "file": np.zeros(len(raw), dtype=np.int32),
        "where": where,
    }


_MISSING_TYPES = frozenset({type(None), float})  # None, and NaN where pandas filled a gap


def _only(values: pd.Series, allowed: tuple[type, ...]) -> pd.Series:
    """``values`` with anything not of an ``allowed`` type (a list, a dict ...) set missing.

    The common case (every value already allowed) is checked with one C-level pass over
    the types instead of a Python call per value.
    """
    kinds = set(map(type, values.tolist()))
    if kinds <= set(allowed) | _MISSING_TYPES:
        return values
    return values.where([v.__class__ in allowed for v in values.tolist()])


def _ids(values: pd.Series) -> pd.Series:
    """Ids as text (``user123``, or numbers for old exports); anything else missing."""
    values = _only(values, (str, int))
    if set(map(type, values.tolist())) <= {str} | _MISSING_TYPES:
        return values.astype("string")
    return pd.Series([None if v is None or v != v else str(v) for v in values.tolist()], dtype="string")


def _tagged(values: pd.Series, tag: str) -> pd.Series:
    """Message ids as text, prefixed with the chat in full-account exports.

    The usual column (whole numbers, gaps missing) is converted in bulk; anything else
    (text ids, fractions, stray lists from a damaged file) goes through a careful loop.
    """
    array = values.to_numpy(dtype=object)
    present = pd.notna(array)
    kept = array[present].tolist()
    if set(map(type, kept)) <= {int}:
        # str() of each int: the careful loop's text, about twice as fast as numpy's casts.
        digits = np.fromiter(map(str, kept), dtype=object, count=len(kept))
        if tag:
            digits = np.array([tag + d for d in digits.tolist()], dtype=object)
        out = np.full(len(array), None, dtype=object)
        out[present] = digits
        return pd.Series(out, dtype="string")
    cleaned = []
    for v in array.tolist():
        if v is None or v != v or v.__class__ in (dict, list, bool):
            cleaned.append(None)
        elif v.__class__ is float and v.is_integer():
            cleaned.append(f"{tag}{int(v)}")
        else:
            cleaned.append(f"{tag}{v}")
    return pd.Series(cleaned, dtype="string")


def _flatten_text(value: object) -> str:
    """Telegram's rich text: a list of plain strings and ``{"type", "text"}`` entities."""
    if value.__class__ is list:
        return "".join(
            part
            if part.__class__ is str
            else part.get("text", "")
            if part.__class__ is dict and part.get("text").__class__ is str
            else ""
            for part in value
        )
    return str(value)


def _parse_times(when: pd.Series, zone: str) -> pd.Series:
    """Unix seconds where given (digits), ISO local dates otherwise, converted in bulk."""
    raw = when.reset_index(drop=True)
    if raw.empty:
        return pd.Series([], dtype=f"datetime64[ns, {zone}]")
    times = from_epoch_seconds(raw, zone)
    missing = times.isna().to_numpy()
    if missing.any():
        times[missing] = parse_iso(raw[missing], zone)
    return times
