"""DiscordChatExporter JSON and CSV (see the package docstring)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ._table import _digits, _id_map, _kinds, _optional, _texts

#: Discord's epoch (2015-01-01T00:00:00Z) in milliseconds, the base of snowflake ids.
DISCORD_EPOCH_MS = 1_420_070_400_000


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
