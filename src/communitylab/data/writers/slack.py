"""Slack workspace export, a folder or a ``.zip`` (see the package docstring)."""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ._table import _id_map, _kinds, _optional, _texts, _token


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
