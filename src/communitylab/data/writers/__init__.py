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

The writers, one module per source as for the importers: :mod:`.wechat`, :mod:`.telegram`,
:mod:`.discord`, :mod:`.whatsapp`, :mod:`.slack`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .discord import write_discord_csv, write_discord_json
from .slack import write_slack_export
from .telegram import write_telegram_json
from .wechat import write_wechat_csv
from .whatsapp import write_whatsapp_txt

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
