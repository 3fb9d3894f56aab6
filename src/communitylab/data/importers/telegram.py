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
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._files import check_size, display_name, open_text
from ._finish import finish
from ._jsonstream import JsonStream
from ._jsonwindows import NotSplittable, loads_window
from ._options import ChatImportError, Options
from ._telegram_messages import drop_entities, message_columns, raw_batch, unpack
from ._times import bad_times
from ._workers import WorkerFailed, worker_pool

#: Used for bare ``date`` values and as the display zone (override with ``tz=``).
DEFAULT_TZ = "UTC"


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
    for first, batch in stream.batches(drop=drop_entities):
        raw, dropped = raw_batch(batch, first)
        del batch
        for number in dropped:
            report.drop(stream.name, f"record {number}", "not a message object")
        if raw is not None:
            batches.append(raw)
        if sum(len(b) for b in batches) >= _ROWS_PER_FRAME:
            parts.append(_frame_of(batches, tag, chat_id, zone))
    if batches:
        parts.append(_frame_of(batches, tag, chat_id, zone))


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
            frame = unpack(frame)
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
    batch = loads_window(b"[" + drop_entities(window) + b"]")
    del window
    if batch.__class__ is not list:
        raise ValueError("a window did not decode to a list")
    raw, dropped = raw_batch(batch, 1)
    count = len(batch)
    del batch
    if raw is None:
        return None, count, dropped
    where = raw.pop("_where").to_numpy(dtype=np.int64)
    columns = message_columns(raw, where, tag, chat_id, zone)
    # Only rows whose time cannot be used ever show raw_time (in a problem message); the
    # senders and kinds stay codes: pickling a string per row costs more than it saves.
    columns["raw_time"] = columns["raw_time"].where(bad_times(pd.Series(columns["timestamp"])), None)
    return columns, count, dropped


#: Raw batches are translated together once this many rows are waiting: one vectorised
#: pass over many rows costs less than many small passes (pandas has a fixed cost per call).
_ROWS_PER_FRAME = 500_000


def _frame_of(batches: list[pd.DataFrame], tag: str, chat_id: str | None, zone: str) -> pd.DataFrame:
    """Translate and empty the waiting raw batches."""
    raw = pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0].reset_index(drop=True)
    batches.clear()
    where = raw.pop("_where").to_numpy(dtype=np.int64)
    return unpack(message_columns(raw, where, tag, chat_id, zone))
