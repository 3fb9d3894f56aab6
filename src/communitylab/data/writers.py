"""Write a ``Messages`` table as the files real export tools produce.

Used to build the bundled synthetic datasets (``datasets/``) and the importer
benchmarks, and to test the importers on round trips. Each writer follows the layout
of one exporter as it is documented in that tool's own source:

============================  ===========================================================
format key                    layout
============================  ===========================================================
``wechat-wechatmsg``          WeChatMsg/留痕 CSV: ``localId, TalkerId, Type, SubType, IsSender,
                              CreateTime, Status, StrContent, StrTime, Remark, NickName,
                              Sender`` (UTF-8 with BOM; ``CreateTime`` Unix seconds,
                              ``StrTime`` local ``YYYY-MM-DD HH:MM:SS``)
``wechat-pywxdump``           PyWxDump CSV: ``id, MsgSvrID, type_name, is_sender, talker,
                              room_name, msg, src, CreateTime`` (UTF-8; local time text)
``telegram``                  Telegram Desktop ``result.json`` (one chat; ``date`` local,
                              ``date_unixtime``; service messages with ``action``)
``discord-json``              DiscordChatExporter JSON (``guild``, ``channel``, ``messages``
                              with ``author.isBot``, ``reference.messageId``)
``discord-csv``               DiscordChatExporter CSV: ``AuthorID, Author, Date, Content,
                              Attachments, Reactions`` (every field quoted; ``Date`` in the
                              exporter's default ``g`` pattern, en-US: ``3/4/2024 9:15 AM``)
``whatsapp``                  WhatsApp "Export chat" text, Android en-US 12-hour
                              (``3/4/24, 9:15 AM - Name: text``) or iOS
                              (``[04/03/2024, 09:15:02] Name: text``)
``slack``                     Slack workspace export folder, or ``.zip`` when the path ends
                              in ``.zip``: ``channels.json``, ``users.json``,
                              ``<channel>/YYYY-MM-DD.json``; replies as threads (``thread_ts``)
============================  ===========================================================

What a format cannot carry is lost on the way, as it is for real exports: WeChat CSV,
Discord CSV and WhatsApp text keep no reply links; Discord and WhatsApp mark no bots
(Discord JSON does); Discord shows no leave events; WhatsApp has no message ids.
Author ids are derived from the table's ``author_id`` with a keyed hash, so they look
like the source's ids (``wxid_…``, ``user…``, snowflakes, ``U…``) and stay stable.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "EXPORT_FORMATS",
    "write_export",
    "write_wechat_csv",
    "write_telegram_json",
    "write_discord_json",
    "write_discord_csv",
    "write_whatsapp_txt",
    "write_slack_export",
]

#: Discord's epoch (2015-01-01T00:00:00Z) in milliseconds, the base of snowflake ids.
DISCORD_EPOCH_MS = 1_420_070_400_000


def _digits(value: str, salt: str, width: int) -> str:
    """A stable decimal string of ``width`` digits derived from ``value``."""
    digest = hashlib.blake2b(f"{salt}:{value}".encode(), digest_size=16).digest()
    return str(int.from_bytes(digest, "big"))[:width].rjust(width, "1")


def _token(value: str, salt: str, width: int, alphabet: str = "0123456789abcdefghijklmnopqrstuvwxyz") -> str:
    number = int.from_bytes(hashlib.blake2b(f"{salt}:{value}".encode(), digest_size=16).digest(), "big")
    out = []
    for _ in range(width):
        number, rest = divmod(number, len(alphabet))
        out.append(alphabet[rest])
    return "".join(out)


def _id_map(authors: pd.Series, make: Callable[[str], str]) -> dict[str, str]:
    return {a: make(a) for a in pd.unique(authors.dropna())}


def _kinds(messages: pd.DataFrame) -> np.ndarray:
    return messages["kind"].astype(object).to_numpy()


def _texts(messages: pd.DataFrame) -> np.ndarray:
    return messages["text"].astype(object).where(messages["text"].notna(), "").to_numpy().copy()


def _local(messages: pd.DataFrame) -> pd.Series:
    """Timestamps as local wall time of the table's own zone (the exporting computer's clock)."""
    return messages["timestamp"].dt.tz_localize(None)


def _unix_seconds(messages: pd.DataFrame) -> np.ndarray:
    return messages["timestamp"].dt.as_unit("ns").astype("int64").to_numpy() // 10**9


def _optional(column: pd.Series) -> np.ndarray:
    return column.astype(object).where(column.notna(), None).to_numpy()


# ---------------------------------------------------------------------------- WeChat


def _wechat_ids(messages: pd.DataFrame) -> dict[str, str]:
    return _id_map(messages["author_id"], lambda a: "wxid_" + _token(a, "wechat", 14))


def _wechat_join_text(name: str, kind: str, inviter: str) -> str:
    if kind == "join":
        if name == inviter:
            return f'"{name}"通过扫描二维码加入群聊'
        return f'"{inviter}"邀请"{name}"加入了群聊'
    return f'"{inviter}"将"{name}"移出了群聊'


def write_wechat_csv(
    messages: pd.DataFrame,
    path: str | Path,
    *,
    flavour: str = "wechatmsg",
    room_id: str = "20873459612@chatroom",
    me: str | None = None,
) -> Path:
    """Write a WeChat group chat as WeChatMsg (``flavour="wechatmsg"``) or PyWxDump CSV.

    Joins and leaves become system notices (``Type`` 10000 / "系统通知") whose text names
    the member, as WeChat shows them; media become images (``Type`` 3), stickers
    animated emoji (``Type`` 47). ``me`` is the ``author_id`` of the account that made
    the export (``IsSender`` 1; PyWxDump then writes "我" as its talker).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = _wechat_ids(messages)
    kinds = _kinds(messages)
    texts = _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    authors = messages["author_id"].astype(object).to_numpy()
    local_text = _local(messages).dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy()
    inviter = names[np.flatnonzero(kinds == "join")[0]] if (kinds == "join").any() else "群主"
    is_event = np.isin(kinds, ["join", "leave", "system"])
    for i in np.flatnonzero(np.isin(kinds, ["join", "leave"])):
        texts[i] = _wechat_join_text(names[i], kinds[i], inviter)
    sender = np.array([ids.get(a, "") for a in authors], dtype=object)
    sender[is_event] = ""
    is_me = (authors == me) & ~is_event if me is not None else np.zeros(len(authors), bool)
    type_code = np.select([kinds == "media", kinds == "sticker", is_event], [3, 47, 10000], 1)
    if flavour == "wechatmsg":
        frame = pd.DataFrame(
            {
                "localId": np.arange(1, len(messages) + 1),
                "TalkerId": 2,
                "Type": type_code,
                "SubType": 0,
                "IsSender": is_me.astype(int),
                "CreateTime": _unix_seconds(messages),
                "Status": 2,
                "StrContent": np.where(type_code == 3, "", texts),
                "StrTime": local_text,
                "Remark": "",
                "NickName": np.where(is_event, "", names),
                "Sender": sender,
            }
        )
        frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
    elif flavour == "pywxdump":
        type_name = np.select(
            [kinds == "media", kinds == "sticker", is_event], ["图片", "动画表情", "系统通知"], "文本"
        )
        talker = np.where(is_event, "未知", np.where(is_me, "我", sender))
        msg_id = messages["message_id"].astype(object).fillna("0").to_numpy()
        frame = pd.DataFrame(
            {
                "id": np.arange(1, len(messages) + 1),
                "MsgSvrID": [_digits(m, "wxsvr", 19) for m in msg_id],
                "type_name": type_name,
                "is_sender": is_me.astype(int),
                "talker": talker,
                "room_name": room_id,
                "msg": np.select([kinds == "media", kinds == "sticker"], ["图片", "表情"], texts),
                "src": np.where(
                    kinds == "media",
                    [
                        f"FileStorage\\MsgAttach\\{_token(m, 'img', 12)}\\Image\\{t[:7]}\\{_token(m, 'f', 16)}.dat"
                        for m, t in zip(msg_id, local_text, strict=True)
                    ],
                    "",
                ),
                "CreateTime": local_text,
            }
        )
        frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    else:
        raise ValueError(f"flavour must be 'wechatmsg' or 'pywxdump', not {flavour!r}")
    return path


# ---------------------------------------------------------------------------- Telegram


def write_telegram_json(
    messages: pd.DataFrame, path: str | Path, *, chat_name: str = "Community Lab group", chat_id: int = 1987654321
) -> Path:
    """Write a Telegram Desktop single-chat ``result.json`` (streamed, one message at a time).

    ``date`` is the local wall time of the table's zone (Telegram writes the exporting
    computer's clock) and ``date_unixtime`` the exact time. Joins are
    ``join_group_by_link`` service messages, leaves ``remove_members`` (by the member
    themselves), system events ``edit_group_title``; a leading ``@Name`` becomes a
    ``mention_name`` entity. Bots post under a name ending in "Bot", as Telegram requires.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = _id_map(messages["author_id"], lambda a: "user" + _digits(a, "telegram", 10))
    kinds = _kinds(messages)
    texts = _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    authors = messages["author_id"].astype(object).to_numpy()
    local_iso = _local(messages).dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
    unix = _unix_seconds(messages)
    msg_ids = messages["message_id"].astype(object).to_numpy()
    reply = _optional(messages["reply_to"])
    file_stamp = _local(messages).dt.strftime("%d-%m-%Y_%H-%M-%S").to_numpy()
    known_names = frozenset(names)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            json.dumps({"name": chat_name, "type": "private_supergroup", "id": chat_id}, ensure_ascii=False, indent=1)[
                :-2
            ]
        )
        out.write(',\n "messages": [')
        for i in range(len(messages)):
            kind = kinds[i]
            rec: dict[str, object] = {
                "id": int(msg_ids[i]) if str(msg_ids[i]).isdigit() else msg_ids[i],
                "type": "service" if kind in ("join", "leave", "system") else "message",
                "date": local_iso[i],
                "date_unixtime": str(unix[i]),
            }
            if rec["type"] == "service":
                rec["actor"], rec["actor_id"] = names[i], ids.get(authors[i])
                if kind == "join":
                    rec["action"], rec["inviter"] = "join_group_by_link", chat_name
                elif kind == "leave":
                    rec["action"], rec["members"] = "remove_members", [names[i]]
                else:
                    rec["action"], rec["title"] = "edit_group_title", texts[i] or chat_name
                rec["text"], rec["text_entities"] = "", []
            else:
                rec["from"], rec["from_id"] = names[i], ids.get(authors[i])
                if reply[i] is not None:
                    rec["reply_to_message_id"] = int(reply[i]) if str(reply[i]).isdigit() else reply[i]
                if kind == "media":
                    rec["photo"] = f"photos/photo_{i + 1}@{file_stamp[i]}.jpg"
                    rec["photo_file_size"], rec["width"], rec["height"] = 48213, 1280, 960
                elif kind == "sticker":
                    rec["file"] = "(File not included. Change data exporting settings to download.)"
                    rec["file_size"], rec["thumbnail"] = (
                        23111,
                        "(File not included. Change data exporting settings to download.)",
                    )
                    rec["media_type"], rec["sticker_emoji"] = "sticker", texts[i]
                    rec["width"], rec["height"] = 512, 512
                text = "" if kind == "sticker" else texts[i]
                rec["text"], rec["text_entities"] = _telegram_text(text, known_names)
            out.write("\n  " if i == 0 else ",\n  ")
            out.write(json.dumps(rec, ensure_ascii=False, indent=1).replace("\n", "\n  "))
        out.write("\n ]\n}\n")
    return path


def _telegram_text(text: str, known_names: frozenset[str]) -> tuple[object, list[dict[str, str]]]:
    """Plain text, or Telegram's list form when the message starts with ``@<member name>``.

    Members without a public user name are mentioned by display name, which Telegram
    exports as a ``mention_name`` entity.
    """
    if text.startswith("@"):
        words = text[1:].split(" ")
        for count in range(min(len(words) - 1, 4), 0, -1):
            name = " ".join(words[:count])
            if name in known_names:
                rest = " " + " ".join(words[count:])
                mention = {"type": "mention_name", "text": "@" + name, "user_id": int(_digits(name, "telegram", 10))}
                entities = [mention, {"type": "plain", "text": rest}]
                return [entities[0], rest], entities
    return text, ([{"type": "plain", "text": text}] if text else [])


# ---------------------------------------------------------------------------- Discord


def _snowflakes(messages: pd.DataFrame) -> np.ndarray:
    ms = messages["timestamp"].dt.as_unit("ns").astype("int64").to_numpy() // 10**6
    return ((ms - DISCORD_EPOCH_MS) << 22) + (np.arange(len(messages)) % 4096)


#: Content DiscordChatExporter gives system notices (its ``Message.Parse`` fallback texts).
_DISCORD_NOTICE = {"join": "Joined the server.", "system": "Changed the channel name."}


def write_discord_json(
    messages: pd.DataFrame, path: str | Path, *, guild: str = "Community Lab", channel: str = "general"
) -> Path:
    """Write a DiscordChatExporter JSON export of one channel (streamed).

    Message ids are snowflakes built from the timestamps; replies are type ``Reply``
    with ``reference.messageId``; joins ``GuildMemberJoin`` and renames
    ``ChannelNameChange``, with the content the exporter gives them ("Joined the
    server."). Discord posts no leave messages, so leaves are not written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = _kinds(messages) != "leave"
    messages = messages[keep]
    flakes = _snowflakes(messages)
    by_id = dict(zip(messages["message_id"].astype(object), flakes, strict=True))
    ids = _id_map(messages["author_id"], lambda a: _digits(a, "discord", 18))
    kinds, texts = _kinds(messages), _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    authors = messages["author_id"].astype(object).to_numpy()
    bots = messages["is_bot"].to_numpy()
    stamps = messages["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3].to_numpy()
    offsets = messages["timestamp"].dt.strftime("%z").to_numpy()
    reply = _optional(messages["reply_to"])
    guild_id, channel_id = _digits(guild, "guild", 18), _digits(channel, "channel", 18)
    head = {
        "guild": {"id": guild_id, "name": guild, "iconUrl": "https://cdn.discordapp.com/embed/avatars/0.png"},
        "channel": {
            "id": channel_id,
            "type": "GuildTextChat",
            "categoryId": None,
            "category": "Text Channels",
            "name": channel,
            "topic": None,
        },
        "dateRange": {"after": None, "before": None},
        "exportedAt": pd.Timestamp("2025-01-01T00:00:00Z").isoformat(),
    }
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2])
        out.write(',\n  "messages": [')
        for i in range(len(messages)):
            kind = kinds[i]
            offset = offsets[i][:3] + ":" + offsets[i][3:]
            target = by_id.get(reply[i]) if reply[i] is not None else None
            mtype = {"join": "GuildMemberJoin", "system": "ChannelNameChange"}.get(
                kind, "Reply" if target else "Default"
            )
            rec = {
                "id": str(flakes[i]),
                "type": mtype,
                "timestamp": stamps[i] + offset,
                "timestampEdited": None,
                "callEndedTimestamp": None,
                "isPinned": False,
                "content": _DISCORD_NOTICE.get(kind, "" if kind in ("media", "sticker") else texts[i]),
                "author": {
                    "id": ids[authors[i]],
                    "name": names[i].replace(" ", "_").lower(),
                    "discriminator": "0000",
                    "nickname": names[i],
                    "color": None,
                    "isBot": bool(bots[i]),
                    "roles": [],
                    "avatarUrl": "https://cdn.discordapp.com/embed/avatars/1.png",
                },
                "attachments": [],
                "embeds": [],
                "stickers": [],
                "reactions": [],
                "mentions": [],
            }
            if kind == "media":
                rec["attachments"] = [
                    {
                        "id": str(flakes[i] + 1),
                        "url": f"https://cdn.discordapp.com/attachments/{channel_id}/{flakes[i]}/image.png",
                        "fileName": "image.png",
                        "fileSizeBytes": 48213,
                    }
                ]
            elif kind == "sticker":
                rec["stickers"] = [
                    {
                        "id": "749054660769218631",
                        "name": texts[i] or "sticker",
                        "format": "Png",
                        "sourceUrl": "https://cdn.discordapp.com/stickers/749054660769218631.png",
                    }
                ]
            if target is not None:
                rec["reference"] = {"messageId": str(target), "channelId": channel_id, "guildId": guild_id}
            out.write("\n    " if i == 0 else ",\n    ")
            out.write(json.dumps(rec, ensure_ascii=False, indent=2).replace("\n", "\n    "))
        out.write(f'\n  ],\n  "messageCount": {len(messages)}\n}}\n')
    return path


def _discord_g_date(stamps: pd.Series) -> np.ndarray:
    """.NET ``g`` pattern of the en-US culture: ``M/d/yyyy h:mm tt``."""
    local = stamps.dt.tz_localize(None)
    hour = local.dt.hour.to_numpy()
    h12 = np.where(hour % 12 == 0, 12, hour % 12).astype(str)
    ampm = np.where(hour < 12, "AM", "PM")
    day = local.dt.month.astype(str) + "/" + local.dt.day.astype(str) + "/" + local.dt.year.astype(str)
    minute = local.dt.strftime("%M")
    return (
        day + " " + pd.Series(h12, index=local.index) + ":" + minute + " " + pd.Series(ampm, index=local.index)
    ).to_numpy()


def write_discord_csv(messages: pd.DataFrame, path: str | Path) -> Path:
    """Write a DiscordChatExporter CSV export (every field quoted, as the exporter does).

    System notices carry the exporter's fallback text ("Joined the server."). Replies,
    bots and message ids are not part of this layout.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    messages = messages[_kinds(messages) != "leave"]
    ids = _id_map(messages["author_id"], lambda a: _digits(a, "discord", 18))
    kinds, texts = _kinds(messages), _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    content = np.select(
        [kinds == "join", kinds == "system", kinds == "media", kinds == "sticker"],
        [_DISCORD_NOTICE["join"], _DISCORD_NOTICE["system"], "", ""],
        texts,
    )
    flakes = _snowflakes(messages)
    attach = np.where(kinds == "media", [f"https://cdn.discordapp.com/attachments/1/{f}/image.png" for f in flakes], "")
    frame = pd.DataFrame(
        {
            "AuthorID": [ids[a] for a in messages["author_id"].astype(object)],
            "Author": [n.replace(" ", "_").lower() for n in names],
            "Date": _discord_g_date(messages["timestamp"]),
            "Content": content,
            "Attachments": attach,
            "Reactions": "",
        }
    )
    frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL, lineterminator="\n")
    return path


# ---------------------------------------------------------------------------- WhatsApp


def write_whatsapp_txt(messages: pd.DataFrame, path: str | Path, *, flavour: str = "android") -> Path:
    """Write a WhatsApp "Export chat" (without media) text file.

    ``android``: en-US, 12-hour clock with the narrow no-break space newer phones write
    before AM/PM (``3/4/24, 9:15\u202fAM - Name: text``); ``ios``: day-first with seconds
    (``[04/03/2024, 09:15:02] Name: text``). Multi-line messages continue on the next
    lines; joins, leaves and renames are system lines without a sender; media is
    ``<Media omitted>`` (Android) or ``image omitted`` (iOS).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    local = _local(messages)
    kinds, texts = _kinds(messages), _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    if flavour == "android":
        hour = local.dt.hour.to_numpy()
        h12 = np.where(hour % 12 == 0, 12, hour % 12)
        stamp = [
            f"{m}/{d}/{y % 100:02d}, {h}:{mi:02d}\u202f{'AM' if hh < 12 else 'PM'}"
            for m, d, y, h, mi, hh in zip(
                local.dt.month, local.dt.day, local.dt.year, h12, local.dt.minute, hour, strict=True
            )
        ]
        lead = [f"{s} - " for s in stamp]
        media = "<Media omitted>"
        first = f"{lead[0] if lead else '1/1/24, 12:00 AM - '}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."
    elif flavour == "ios":
        lead = [f"[{s}] " for s in local.dt.strftime("%d/%m/%Y, %H:%M:%S")]
        media = "\u200eimage omitted"
        first = f"{lead[0] if lead else '[01/01/2024, 00:00:00] '}Community Lab group: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
    else:
        raise ValueError(f"flavour must be 'android' or 'ios', not {flavour!r}")
    lines = [first]
    for i in range(len(messages)):
        kind = kinds[i]
        if kind == "join":
            lines.append(f"{lead[i]}{names[i]} joined using this group's invite link")
        elif kind == "leave":
            lines.append(f"{lead[i]}{names[i]} left")
        elif kind == "system":
            lines.append(f'{lead[i]}{names[i]} changed the group name to "{texts[i] or "Community Lab group"}"')
        else:
            body = media if kind in ("media", "sticker") else texts[i]
            lines.append(f"{lead[i]}{names[i]}: {body}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- Slack


def write_slack_export(messages: pd.DataFrame, path: str | Path, *, channel: str = "general") -> Path:
    """Write a Slack workspace export of one channel: a folder, or a zip if ``path`` ends in ``.zip``.

    Day files are named by the UTC date. Replies sit in the thread of the message they
    answer (``thread_ts`` = the parent's ``ts``; the parent carries ``reply_count`` and
    ``replies``); joins and leaves are ``channel_join``/``channel_leave``, renames
    ``channel_name``, bots ``bot_message`` with a ``bot_id`` and no ``user``; media are
    ``files``.
    """
    path = Path(path)
    if path.suffix == ".zip":
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_slack_export(messages, Path(tmp) / path.stem, channel=channel)
            path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(folder.rglob("*")):
                    if file.is_file():
                        # a fixed date keeps the archive byte-identical from build to build
                        entry = zipfile.ZipInfo(file.relative_to(folder).as_posix(), date_time=(2024, 1, 1, 0, 0, 0))
                        archive.writestr(entry, file.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        return path
    if path.exists():
        shutil.rmtree(path)
    (path / channel).mkdir(parents=True)
    users = _id_map(
        messages["author_id"], lambda a: "U" + _token(a, "slack", 10, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    )
    kinds, texts = _kinds(messages), _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    authors = messages["author_id"].astype(object).to_numpy()
    bots = messages["is_bot"].to_numpy()
    ns = messages["timestamp"].dt.as_unit("ns").astype("int64").to_numpy()
    # ts is "seconds.microseconds" and unique per channel: add the row number in microseconds
    micros = ns // 1000 + np.arange(len(messages)) % 1000
    ts = np.array([f"{m // 1_000_000}.{m % 1_000_000:06d}" for m in micros], dtype=object)
    ts_of = dict(zip(messages["message_id"].astype(object), ts, strict=True))
    reply = _optional(messages["reply_to"])
    day = messages["timestamp"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d").to_numpy()
    records: list[dict] = []
    parents: dict[str, dict] = {}
    for i in range(len(messages)):
        kind, user = kinds[i], users.get(authors[i])
        rec: dict[str, object] = {"type": "message", "ts": ts[i]}
        if kind in ("join", "leave"):
            rec.update(
                subtype=f"channel_{kind}",
                user=user,
                text=f"<@{user}> has {'joined' if kind == 'join' else 'left'} the channel",
            )
        elif kind == "system":
            rec.update(
                subtype="channel_name",
                user=user,
                name=channel,
                old_name=channel,
                text=f'<@{user}> renamed the channel from "{channel}" to "{channel}"',
            )
        elif bots[i]:
            rec.update(subtype="bot_message", bot_id="B" + user[1:], username=names[i], text=texts[i])
        else:
            rec.update(
                user=user,
                text="" if kind == "media" else texts[i],
                team="T0COMMLAB",
                user_profile={
                    "real_name": names[i],
                    "display_name": names[i],
                    "name": names[i].lower().replace(" ", "."),
                },
            )
            if kind == "media":
                rec["files"] = [
                    {
                        "id": "F" + user[1:] + str(i),
                        "name": "image.png",
                        "mimetype": "image/png",
                        "filetype": "png",
                        "size": 48213,
                    }
                ]
            parent_ts = ts_of.get(reply[i]) if reply[i] is not None else None
            if parent_ts is not None and parent_ts in parents:
                rec["thread_ts"], rec["parent_user_id"] = parent_ts, parents[parent_ts]["user"]
                parent = parents[parent_ts]
                parent.setdefault("thread_ts", parent_ts)
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent.setdefault("replies", []).append({"user": user, "ts": ts[i]})
                parent["latest_reply"] = ts[i]
            parents[ts[i]] = rec
        rec["_day"] = day[i]
        records.append(rec)
    for when, group in pd.Series(range(len(records))).groupby(day):
        batch = []
        for j in group:
            rec = dict(records[j])
            rec.pop("_day")
            batch.append(rec)
        (path / channel / f"{when}.json").write_text(json.dumps(batch, ensure_ascii=False, indent=4), encoding="utf-8")
    bot_authors = set(messages.loc[messages["is_bot"], "author_id"].dropna())
    members = [users[a] for a in pd.unique(messages["author_id"].dropna()) if a not in bot_authors]
    created = int(ns[0] // 10**9) if len(ns) else 0
    channels = [
        {
            "id": "C" + _token(channel, "slack-channel", 10, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            "name": channel,
            "created": created,
            "creator": members[0] if members else "",
            "is_archived": False,
            "is_general": True,
            "members": members,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }
    ]
    user_list = []
    first_name = dict(zip(messages["author_id"].astype(object), names, strict=True))
    for author, uid in users.items():
        bot = author in bot_authors
        user_list.append(
            {
                "id": uid,
                "team_id": "T0COMMLAB",
                "name": first_name[author].lower().replace(" ", "."),
                "deleted": False,
                "real_name": first_name[author],
                "is_bot": bot,
                "profile": {"real_name": first_name[author], "display_name": first_name[author]},
            }
        )
    (path / "channels.json").write_text(json.dumps(channels, ensure_ascii=False, indent=4), encoding="utf-8")
    (path / "users.json").write_text(json.dumps(user_list, ensure_ascii=False, indent=4), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- dispatch


EXPORT_FORMATS: dict[str, tuple[str, Callable[..., Path]]] = {
    "wechat-wechatmsg": ("wechat", lambda m, p: write_wechat_csv(m, p, flavour="wechatmsg")),
    "wechat-pywxdump": ("wechat", lambda m, p: write_wechat_csv(m, p, flavour="pywxdump")),
    "telegram": ("telegram", write_telegram_json),
    "discord-json": ("discord", write_discord_json),
    "discord-csv": ("discord", write_discord_csv),
    "whatsapp": ("whatsapp", lambda m, p: write_whatsapp_txt(m, p, flavour="android")),
    "whatsapp-ios": ("whatsapp", lambda m, p: write_whatsapp_txt(m, p, flavour="ios")),
    "slack": ("slack", write_slack_export),
}


def write_export(messages: pd.DataFrame, path: str | Path, fmt: str) -> Path:
    """Write ``messages`` in one of :data:`EXPORT_FORMATS` (keys) and return the path written."""
    try:
        _, writer = EXPORT_FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}") from None
    return writer(messages, path)
