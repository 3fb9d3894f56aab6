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

Large exports (over :data:`PARALLEL_BYTES`) are decoded by :data:`WORKERS` processes, one
byte window (:data:`WINDOW_BYTES`) at a time; see :func:`read`.

Bots: Telegram's export does not flag bots. A sender whose name ends in "bot" (bot user
names must end so) or a message sent ``via_bot`` counts as a bot, a documented heuristic.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._files import check_size, display_name, open_text
from ._finish import RAW_COLUMNS, finish
from ._jsonstream import JsonStream
from ._jsonwindows import NotSplittable, loads_window
from ._options import ChatImportError, Options
from ._times import bad_times, from_epoch_seconds, parse_iso
from ._workers import WorkerFailed, worker_pool

#: Used for bare ``date`` values and as the display zone (override with ``tz=``).
DEFAULT_TZ = "UTC"

_JOIN_ACTIONS = frozenset({"invite_members", "join_group_by_link", "join_group_by_request", "add_members"})
_LEAVE_ACTIONS = frozenset({"remove_members", "leave_group"})
_MEDIA_KEYS = frozenset({"location_information", "contact_information", "poll", "game_title"})


#: Exports larger than this many bytes are decoded by :data:`WORKERS` worker processes
#: (smaller ones, and any file whose layout does not allow it, are read in this process).
PARALLEL_BYTES = 32 * 1024**2
#: Worker processes of a large import (course laptops have at least two cores).
WORKERS = 2
#: Bytes of a window a worker decodes at a time: large enough that pandas' fixed cost per
#: call is small, small enough that a worker holds only a few dozen megabytes.
WINDOW_BYTES = 8 * 1024**2


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a Telegram Desktop ``result.json`` (single chat or full account)."""
    path = Path(path)
    if path.is_dir():
        path = path / "result.json"
    size = check_size(path, options.max_bytes)
    if size > PARALLEL_BYTES and WORKERS > 1 and (os.cpu_count() or 1) > 1:
        # Decoding and translating windows is independent per window, so two processes
        # share it; the result is the same table and report as reading in one process.
        try:
            with worker_pool(WORKERS) as pool:
                return _read(path, options, pool)
        except (NotSplittable, WorkerFailed):
            pass  # an irregular or damaged file: the careful single-process reader explains it
    return _read(path, options, None)


def _read(path: Path, options: Options, pool: Executor | None) -> tuple[pd.DataFrame, ImportReport]:
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
                _read_messages(stream, parts, report, chat_id, zone, prefix=False, pool=pool)
                seen_messages = True
            elif key == "id":
                value = stream.value()
                chat_id = None if isinstance(value, (dict, list)) else str(value)
            elif key in ("chats", "left_chats") and stream.peek() == "{":
                for inner in stream.keys():
                    if inner == "list" and stream.peek() == "[":
                        for _ in stream.items():
                            _read_chat(stream, parts, report, zone, pool)
                        seen_messages = True
                    else:
                        stream.skip()
            else:
                stream.skip()
        stream.finish()
    if not seen_messages:
        raise _not_telegram(name)
    return finish(parts, report, [name], "record", "telegram", options, pool=pool), report


def _not_telegram(name: str) -> ChatImportError:
    return ChatImportError(
        f'{name} is JSON but not a Telegram Desktop export: it has no "messages" list. '
        "In Telegram Desktop use Export chat history with the format set to Machine-readable JSON."
    )


def _read_chat(
    stream: JsonStream,
    parts: list[pd.DataFrame],
    report: ImportReport,
    zone: str,
    pool: Executor | None,
) -> None:
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
            _read_messages(stream, parts, report, chat_id, zone, prefix=True, pool=pool)
        else:
            stream.skip()


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


def _read_messages(
    stream: JsonStream,
    parts: list[pd.DataFrame],
    report: ImportReport,
    chat_id: str | None,
    zone: str,
    *,
    prefix: bool,
    pool: Executor | None = None,
) -> None:
    """Read one ``messages`` array batch by batch into raw frames (see :func:`._finish.finish`)."""
    tag = f"{chat_id}:" if prefix and chat_id is not None else ""
    if pool is not None:
        _read_messages_in(pool, stream, parts, report, tag, chat_id, zone)
        return
    batches: list[pd.DataFrame] = []
    for first, batch in stream.batches(drop=_drop_entities):
        raw, dropped = _raw_batch(batch, first)
        del batch
        for number in dropped:
            report.drop(stream.name, f"record {number}", "not a message object")
        if raw is not None:
            batches.append(raw)
        if sum(len(b) for b in batches) >= _ROWS_PER_FRAME:
            parts.append(_frame_of(batches, tag, chat_id, zone))
    if batches:
        parts.append(_frame_of(batches, tag, chat_id, zone))


def _raw_batch(batch: list, first: int) -> tuple[pd.DataFrame | None, list[int]]:
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


def _drop_entities(window: bytes) -> bytes:
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


def _read_messages_in(
    pool: Executor,
    stream: JsonStream,
    parts: list[pd.DataFrame],
    report: ImportReport,
    tag: str,
    chat_id: str | None,
    zone: str,
) -> None:
    """The messages array cut into byte windows, each decoded and translated by a worker.

    Workers number records from 1 within their window; the numbers are shifted here, in
    window order, so rows, record numbers and problems come out as in one process.
    """
    path = str(stream.path)
    futures = [
        pool.submit(_window_frame, path, start, end, tag, chat_id, zone)
        for start, end in stream.byte_windows(WINDOW_BYTES)
    ]
    before = 0
    for future in futures:
        try:
            frame, count, dropped = future.result()
        except Exception as exc:  # undecodable window, or a worker that died: read in one process
            for rest in futures:
                rest.cancel()
            raise WorkerFailed(str(exc)) from None
        for number in dropped:
            report.drop(stream.name, f"record {before + number}", "not a message object")
        if frame is not None:
            frame = _unpack(frame)
            frame["where"] += before
            parts.append(frame)
        before += count


def _window_frame(path: str, start: int, end: int, tag: str, chat_id: str | None, zone: str):
    """Worker: decode ``path[start:end]`` (whole messages) and translate it into a raw frame.

    Returns the frame (or None), the number of elements and the (1-based, window-relative)
    numbers of elements that are not message objects.
    """
    with open(path, "rb") as handle:
        handle.seek(start)
        window = handle.read(end - start)
    batch = loads_window(b"[" + _drop_entities(window) + b"]")
    del window
    if batch.__class__ is not list:
        raise ValueError("a window did not decode to a list")
    raw, dropped = _raw_batch(batch, 1)
    count = len(batch)
    del batch
    if raw is None:
        return None, count, dropped
    where = raw.pop("_where").to_numpy(dtype=np.int64)
    columns = _columns(raw, where, tag, chat_id, zone)
    # Only rows whose time cannot be used ever show raw_time (in a problem message); the
    # senders and kinds stay codes: pickling a string per row costs more than it saves.
    columns["raw_time"] = columns["raw_time"].where(bad_times(pd.Series(columns["timestamp"])), None)
    return columns, count, dropped


def _unpack(columns: dict[str, object]) -> pd.DataFrame:
    """The raw frame of the columns a worker sent (see :func:`_window_frame`)."""
    columns["author_name"] = pd.Series(columns.pop("name_values")[columns.pop("name_codes")], dtype="string")
    columns["kind"] = _KIND_NAMES[columns.pop("kind")]
    return pd.DataFrame({name: columns[name] for name in RAW_COLUMNS})


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
    columns = _columns(raw, where, tag, chat_id, zone)
    kind_codes = columns.pop("kind")
    columns["author_name"] = pd.Series(columns.pop("name_values")[columns.pop("name_codes")], dtype="string")
    columns["kind"] = _KIND_NAMES[kind_codes]
    return pd.DataFrame({name: columns[name] for name in RAW_COLUMNS})


#: Values of the kind column, in the order of the codes :func:`_columns` gives.
_KIND_NAMES = np.array(["text", "media", "sticker", "system", "join", "leave"], dtype=object)


def _columns(raw: pd.DataFrame, where: np.ndarray, tag: str, chat_id: str | None, zone: str) -> dict[str, object]:
    """The raw frame's columns; kind as codes into :data:`_KIND_NAMES`, and the author names
    as codes (``name_codes``, -1 for none) into their distinct values (``name_values``)."""
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
    return {
        "message_id": _tagged(raw["id"], tag),
        "timestamp": _parse_times(when, zone).array,
        "raw_time": when,
        "author_key": _ids(author_key),
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
