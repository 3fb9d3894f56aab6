"""DiscordChatExporter (Tyrrrz/DiscordChatExporter) exports, CSV and JSON.

* **CSV** (``CsvMessageWriter``): ``AuthorID, Author, Date, Content, Attachments,
  Reactions``, every cell quoted. ``Date`` follows the exporter's ``--locale`` (ISO 8601
  with offset in recent versions, e.g. ``2023-01-02T14:05:09.123+01:00``; older versions
  wrote local text such as ``02-Jan-23 02:05 PM``). The CSV has no message ids, so
  replies and duplicates cannot be recognised; a message with only attachments is media.
* **JSON** (``JsonMessageWriter``): ``{"guild", "channel", "messages": [...]}``; each
  message has ``id``, ``type`` (``Default``, ``Reply``, ``GuildMemberJoin``,
  ``RecipientAdd``, ``RecipientRemove``, ``ChannelPinnedMessage``, ``ThreadCreated``,
  ``Call`` ...), ``timestamp`` (ISO 8601 with offset), ``content``, ``author`` (``id``,
  ``name``, ``nickname``, ``isBot``), ``attachments``, ``stickers`` and ``reference``
  (``messageId``). A ``reference`` on an ordinary message marks a reply even when the type
  says ``Default``; on pins and thread notices it points elsewhere and is not a reply.

Time zone: offsets are exact; times are shown in ``tz`` (default :data:`DEFAULT_TZ`);
CSV dates without offset are read as local time in ``tz``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._csv import blank_to_na, csv_chunks
from ._files import check_size, display_name, open_text
from ._finish import finish, raw_frame
from ._jsonstream import JsonStream
from ._options import ChatImportError, Options
from ._times import parse_iso

DEFAULT_TZ = "UTC"
_JOIN_TYPES = frozenset({"GuildMemberJoin", "RecipientAdd"})
_LEAVE_TYPES = frozenset({"RecipientRemove"})
_MESSAGE_TYPES = frozenset({"Default", "Reply", "ThreadStarterMessage", "ChatInputCommand", "ContextMenuCommand"})
#: The texts DiscordChatExporter writes into ``Content`` for service messages (its
#: ``MessageExtensions.GetFallbackContent``): the CSV has no type column, so these exact
#: sentences (whole cell) are what marks a join, a leave or another event. A member who
#: types exactly "Pinned a message." is misread as an event, a rare and harmless error.
_CSV_JOIN = r"Joined the server\.|Added .{1,100} to the group\.|Added a recipient\."
_CSV_LEAVE = r"Left the group\.|Removed .{1,100} from the group\.|Removed a recipient\."
_CSV_SYSTEM = (
    r"Started a call(?: that lasted [\d,.\s]+ minutes?)?\.|Changed the channel name(?::\s.*|\.)"
    r"|Changed the channel icon\.|Pinned a message\.|Started a thread\."
)
_CSV_COLUMNS = ("AuthorID", "Author", "Date", "Content")
#: Old exporter defaults and common locales, tried after ISO 8601.
_CSV_LOCAL_FORMATS = ("%d-%b-%y %I:%M %p", "%m/%d/%Y %I:%M %p", "%d/%m/%Y %H:%M", "%d-%b-%y %H:%M", "%Y-%m-%d %H:%M")


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a DiscordChatExporter CSV or JSON file (chosen by the content, not the name)."""
    path = Path(path)
    check_size(path, options.max_bytes)
    with path.open("rb") as raw:
        start = raw.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        return _read_json(path, options)
    return _read_csv(path, options)


# -- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    report = ImportReport(format="discord")
    zone = options.zone(DEFAULT_TZ)
    name = display_name(path)
    parts = []
    for first, chunk in csv_chunks(path, report, required=_CSV_COLUMNS):
        col = {c: blank_to_na(chunk[c].fillna("")) for c in chunk.columns}
        attachments = col.get("Attachments", pd.Series(pd.NA, index=chunk.index, dtype="string"))
        content = col["Content"]
        kind = np.where(content.isna().to_numpy() & attachments.notna().to_numpy(), "media", "text").astype(object)
        plain = (kind == "text") & attachments.isna().to_numpy() & content.notna().to_numpy()
        if plain.any():
            body = content.str.strip()
            for event, pattern in (("join", _CSV_JOIN), ("leave", _CSV_LEAVE), ("system", _CSV_SYSTEM)):
                kind[plain & body.str.fullmatch(pattern).fillna(False).to_numpy(bool)] = event
        raw_time = col["Date"]
        author = col["Author"]
        parts.append(
            raw_frame(
                np.arange(first, first + len(chunk)),
                timestamp=_csv_times(raw_time, zone),
                raw_time=raw_time,
                author_key=col["AuthorID"],
                author_name=author,
                text=content,
                kind=kind,
                # The CSV has no bot flag; Discord shows bots as "Name#0000" only for webhooks.
                is_bot=author.str.endswith("#0000").fillna(False).to_numpy(bool),
            )
        )
    return finish(parts, report, [name], "record", "discord", options), report


def _csv_times(raw: pd.Series, zone: str) -> pd.Series:
    times = parse_iso(raw, zone)
    todo = times.isna().to_numpy() & raw.notna().to_numpy()
    for fmt in _CSV_LOCAL_FORMATS:
        if not todo.any():
            break
        naive = pd.to_datetime(raw[todo], format=fmt, errors="coerce")
        times[todo] = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward")
        todo = times.isna().to_numpy() & raw.notna().to_numpy()
    return times


# -- JSON -----------------------------------------------------------------------------------


def _read_json(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    report = ImportReport(format="discord")
    zone = options.zone(DEFAULT_TZ)
    name = display_name(path)
    parts: list[pd.DataFrame] = []
    chat: str | None = None
    seen = False
    handle, encoding = open_text(path, allow_gb18030=False)
    with handle, JsonStream(handle, name, path=path, encoding=encoding) as stream:
        for key in stream.keys():
            if key == "channel" and stream.peek() == "{":
                channel = stream.value()
                chat = str(channel.get("id")) if isinstance(channel, dict) and channel.get("id") else None
            elif key == "messages" and stream.peek() == "[":
                seen = True
                for first, batch in stream.batches():
                    parts.append(_json_batch(batch, first, chat, zone, report, name))
            else:
                stream.skip()
        stream.finish()
    if not seen:
        raise ChatImportError(f'{name} is JSON but not a DiscordChatExporter export: it has no "messages" list.')
    return finish(parts, report, [name], "record", "discord", options), report


def _json_batch(batch: list, first: int, chat: str | None, zone: str, report: ImportReport, name: str) -> pd.DataFrame:
    cols: dict[str, list] = {
        k: []
        for k in ("message_id", "raw_time", "author_key", "author_name", "text", "kind", "reply_to", "is_bot", "where")
    }
    for offset, msg in enumerate(batch):
        where = first + offset
        if not isinstance(msg, dict):
            report.drop(name, f"record {where}", "not a message object")
            continue
        author = msg.get("author") if isinstance(msg.get("author"), dict) else {}
        kind_name = msg.get("type") or "Default"
        content = msg.get("content")
        content = content if isinstance(content, str) and content else None
        if kind_name in _JOIN_TYPES:
            kind = "join"
        elif kind_name in _LEAVE_TYPES:
            kind = "leave"
        elif kind_name not in _MESSAGE_TYPES:
            kind = "system"
        elif msg.get("stickers"):
            kind = "sticker"
        elif content is None and msg.get("attachments"):
            kind = "media"
        else:
            kind = "text"
        reference = msg.get("reference")
        reply = None
        # A sticker or an attachment can answer a message too; on events the reference points
        # at the pinned message or the thread, not at a message replied to.
        if isinstance(reference, dict) and kind in ("text", "media", "sticker") and reference.get("messageId"):
            reply = str(reference["messageId"])
        timestamp = msg.get("timestamp")
        cols["message_id"].append(None if msg.get("id") is None else str(msg["id"]))
        cols["raw_time"].append(timestamp if isinstance(timestamp, str) else None)
        cols["author_key"].append(None if author.get("id") is None else str(author["id"]))
        display = author.get("nickname") or author.get("name")
        cols["author_name"].append(display if isinstance(display, str) else None)
        cols["text"].append(content)
        cols["kind"].append(kind)
        cols["reply_to"].append(reply)
        cols["is_bot"].append(bool(author.get("isBot")))
        cols["where"].append(where)
    raw_time = pd.Series(cols.pop("raw_time"), dtype=object)
    return raw_frame(
        cols.pop("where"), timestamp=parse_iso(raw_time, zone), raw_time=raw_time, chat=[chat] * len(raw_time), **cols
    )
