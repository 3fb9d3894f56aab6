"""Telegram Desktop JSON export (``result.json``).

Two shapes are read:

* one chat: ``{"name", "type", "id", "messages": [...]}``;
* the whole account: ``{"personal_information", ..., "chats": {"list": [chat, ...]},
  "left_chats": {"list": [...]}}``; message ids repeat across chats, so they become
  ``"<chat id>:<id>"`` (and so do ``reply_to`` values).

A message has ``id``, ``type`` (``"message"`` or ``"service"``), ``date`` (local time of the
exporting computer, no offset) and, since 2021, ``date_unixtime`` (exact, UTC);
``from``/``from_id`` (``"user123"``, ``"channel456"``) or, for service messages,
``actor``/``actor_id`` and ``action``; ``text`` as a string or a list of strings and
entity objects ``{"type": "bold", "text": ...}``; ``reply_to_message_id``; media fields
``photo``, ``file``, ``media_type`` (``"sticker"``, ``"voice_message"`` ...).

Time zone: ``date_unixtime`` is used when present and shown in ``tz`` (default
:data:`DEFAULT_TZ`); a bare ``date`` is taken as local time in ``tz``.

Bots: Telegram's export does not flag bots. A sender whose name ends in "bot" (bot user
names must end so) or a message sent ``via_bot`` counts as a bot, a documented heuristic.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._common import (
    ChatImportError,
    Options,
    check_size,
    display_name,
    finish,
    from_epoch_seconds,
    open_text,
    parse_iso,
)
from ._jsonstream import JsonStream

#: Used for bare ``date`` values and as the display zone (override with ``tz=``).
DEFAULT_TZ = "UTC"

_JOIN_ACTIONS = frozenset({"invite_members", "join_group_by_link", "join_group_by_request", "add_members"})
_LEAVE_ACTIONS = frozenset({"remove_members", "leave_group"})
_MEDIA_KEYS = frozenset({"location_information", "contact_information", "poll", "game_title"})


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a Telegram Desktop ``result.json`` (single chat or full account)."""
    path = Path(path)
    if path.is_dir():
        path = path / "result.json"
    check_size(path, options.max_bytes)
    report = ImportReport(format="telegram")
    name = display_name(path)
    zone = options.zone(DEFAULT_TZ)
    parts: list[pd.DataFrame] = []
    handle, encoding = open_text(path, allow_gb18030=False)
    with handle, JsonStream(handle, name, path=path, encoding=encoding) as stream:
        if stream.peek() != "{":
            raise _not_telegram(name)
        seen_messages = False
        chat_id: str | None = None
        for key in stream.keys():
            if key == "messages" and stream.peek() == "[":
                _read_messages(stream, parts, report, chat_id, zone, prefix=False)
                seen_messages = True
            elif key == "id":
                value = stream.value()
                chat_id = None if isinstance(value, (dict, list)) else str(value)
            elif key in ("chats", "left_chats") and stream.peek() == "{":
                for inner in stream.keys():
                    if inner == "list" and stream.peek() == "[":
                        for _ in stream.items():
                            _read_chat(stream, parts, report, zone)
                        seen_messages = True
                    else:
                        stream.skip()
            else:
                stream.skip()
        stream.finish()
    if not seen_messages:
        raise _not_telegram(name)
    return finish(parts, report, [name], "record", "telegram", options), report


def _not_telegram(name: str) -> ChatImportError:
    return ChatImportError(
        f"{name} is JSON but not a Telegram Desktop export: it has no \"messages\" list. "
        "In Telegram Desktop use Export chat history with the format set to Machine-readable JSON."
    )


def _read_chat(stream: JsonStream, parts: list[pd.DataFrame], report: ImportReport, zone: str) -> None:
    """One entry of ``chats.list``: its ``id`` comes before ``messages`` in real exports."""
    if stream.peek() != "{":
        stream.skip()
        return
    chat_id: str | None = None
    for key in stream.keys():
        if key == "id":
            value = stream.value()
            chat_id = None if isinstance(value, (dict, list)) else str(value)
        elif key == "messages" and stream.peek() == "[":
            _read_messages(stream, parts, report, chat_id, zone, prefix=True)
        else:
            stream.skip()


#: ``"text_entities"`` repeats ``text`` as a list of typed pieces; the importer reads
#: ``text`` only, so in pretty-printed exports the member is cut out before decoding (about a
#: third less JSON to decode). The pattern matches only the member's own lines: a comma and
#: line break, the key at some indentation, then either ``[]`` or lines indented deeper and a
#: closing ``]`` at the key's indentation; JSON strings cannot hold raw line breaks, so it
#: cannot match inside a message text.
_ENTITIES = re.compile(r',\n(?P<ind>[ \t]*)"text_entities": \[(?:\]|\n(?:(?P=ind)[ \t]+[^\n]*\n)*?(?P=ind)\])')

#: Fields read from each message (anything else, e.g. ``text_entities``, is ignored).
_FIELDS = [
    "id", "type", "date", "date_unixtime", "from", "from_id", "actor", "actor_id", "action", "text",
    "reply_to_message_id", "media_type", "sticker_emoji", "photo", "file", "via_bot",
    *sorted(_MEDIA_KEYS),
]


_ALWAYS = frozenset({"id", "type", "date", "date_unixtime", "from", "from_id", "text"})


def _read_messages(
    stream: JsonStream, parts: list[pd.DataFrame], report: ImportReport, chat_id: str | None, zone: str,
    *, prefix: bool,
) -> None:
    """Read one ``messages`` array batch by batch into raw frames (see ``_common.finish``)."""
    tag = f"{chat_id}:" if prefix and chat_id is not None else ""
    batches: list[pd.DataFrame] = []
    for first, batch in stream.batches(drop=_ENTITIES):
        if set(map(type, batch)) == {dict}:  # the usual case, checked without a Python loop
            objects, where = batch, np.arange(first, first + len(batch), dtype=np.int64)
        else:
            objects, numbers = [], []
            for offset, m in enumerate(batch):
                if m.__class__ is dict:
                    objects.append(m)
                    numbers.append(first + offset)
                else:
                    report.drop(stream.name, f"record {first + offset}", "not a message object")
            where = np.asarray(numbers, dtype=np.int64)
        del batch
        if objects:
            # Fields no message of the batch has need no column (a plain chat has no service
            # messages, polls or inline bots); the union of the keys is one C-level pass.
            present = set().union(*map(dict.keys, objects))
            fields = [f for f in _FIELDS if f in _ALWAYS or f in present]
            # dtype=object: no type inference per column (the importer checks types itself).
            raw = pd.DataFrame(objects, columns=fields, dtype=object).reindex(columns=_FIELDS)
            del objects
            raw["_where"] = where
            batches.append(raw)
        if sum(len(b) for b in batches) >= _ROWS_PER_FRAME:
            parts.append(_frame_of(batches, tag, chat_id, zone))
    if batches:
        parts.append(_frame_of(batches, tag, chat_id, zone))


#: Raw batches are translated together once this many rows are waiting: one vectorised
#: pass over many rows costs less than many small passes (pandas has a fixed cost per call).
_ROWS_PER_FRAME = 500_000


def _frame_of(batches: list[pd.DataFrame], tag: str, chat_id: str | None, zone: str) -> pd.DataFrame:
    """Translate and empty the waiting raw batches."""
    raw = pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0].reset_index(drop=True)
    batches.clear()
    where = raw.pop("_where").to_numpy(dtype=np.int64)
    return _frame(raw, where, tag, chat_id, zone)


def _frame(raw: pd.DataFrame, where: np.ndarray, tag: str, chat_id: str | None, zone: str) -> pd.DataFrame:
    """Vectorised translation of one batch of Telegram messages into a raw frame."""
    service = (raw["type"] == "service").to_numpy()
    action = raw["action"]
    kind = np.full(len(raw), "text", dtype=object)
    media = (raw["photo"].notna() | raw["file"].notna() | raw["media_type"].notna()).to_numpy().copy()
    for key in _MEDIA_KEYS:
        media |= raw[key].notna().to_numpy()
    kind[media] = "media"
    kind[((raw["media_type"] == "sticker") | raw["sticker_emoji"].notna()).to_numpy()] = "sticker"
    kind[service] = "system"
    kind[service & action.isin(_JOIN_ACTIONS).to_numpy()] = "join"
    kind[service & action.isin(_LEAVE_ACTIONS).to_numpy()] = "leave"
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
    bot_name = np.array([u.lower().endswith("bot") for u in uniques.tolist()] + [False], dtype=bool)
    is_bot = raw["via_bot"].notna().to_numpy() | bot_name[codes]
    return pd.DataFrame(
        {
            "message_id": _tagged(raw["id"], tag),
            "timestamp": _parse_times(when, zone).array,
            "raw_time": when,
            "author_key": _ids(author_key),
            "author_name": names,
            "text": pd.Series(text, dtype="string"),
            "kind": kind,
            "reply_to": _tagged(raw["reply_to_message_id"], tag),
            "thread": pd.Series(pd.NA, index=raw.index, dtype="string"),
            "chat": pd.Series(chat_id, index=raw.index, dtype="string"),
            "is_bot": is_bot,
            "file": np.zeros(len(raw), dtype=np.int32),
            "where": where,
        }
    )


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
    kept = array[present]
    if set(map(type, kept.tolist())) <= {int}:
        try:
            digits = kept.astype(np.int64).astype(str).astype(object)
        except OverflowError:
            digits = None
        if digits is not None:
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
            part if part.__class__ is str
            else part.get("text", "") if part.__class__ is dict and part.get("text").__class__ is str
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
