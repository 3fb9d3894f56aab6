"""Telegram Desktop ``result.json`` of one chat (see the package docstring)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ._table import _digits, _id_map, _kinds, _local, _optional, _texts, _unix_seconds


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
