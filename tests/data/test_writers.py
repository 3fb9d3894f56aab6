"""Round trips: a generated community written in every export layout and read back by the importers.

Each format keeps what the real export keeps (see :mod:`communitylab.data.writers`), so the
expectations differ per format: a WeChat CSV has no reply links, Discord posts no leave
events, WhatsApp stamps minutes only, and so on.
"""

from __future__ import annotations

import csv
import json
import zipfile

import pandas as pd
import pytest

from communitylab.data.importers import detect_format, read_chat
from communitylab.data.schema import COLUMNS, EVENT_KINDS
from communitylab.data.synthetic import generate_community
from communitylab.data.writers import EXPORT_FORMATS, write_export
from communitylab.models import participation

FILE_NAMES = {
    "wechat-wechatmsg": "chat.csv",
    "wechat-pywxdump": "chat.csv",
    "telegram": "result.json",
    "discord-json": "channel.json",
    "discord-csv": "channel.csv",
    "whatsapp": "chat.txt",
    "whatsapp-ios": "chat.txt",
    "slack": "export.zip",
}
#: Formats whose files carry reply links, bot flags, sticker/media kinds, second-resolution times.
REPLIES = {"telegram", "discord-json", "slack"}
BOTS = {"telegram", "discord-json", "slack"}
SECONDS = {"wechat-wechatmsg", "wechat-pywxdump", "telegram", "discord-json", "whatsapp-ios", "slack"}


@pytest.fixture(scope="module")
def community():
    params = participation.Params(members=150, days=45, moderators=1)
    return generate_community(params, seed=21, tz="Asia/Shanghai", newcomer_share=0.4)


@pytest.fixture(scope="module")
def exports(community, tmp_path_factory):
    root = tmp_path_factory.mktemp("exports")
    out = {}
    for key in EXPORT_FORMATS:
        folder = root / key
        folder.mkdir()
        out[key] = write_export(community.messages, folder / FILE_NAMES[key], key)
    return out


def expected(community, key: str) -> pd.DataFrame:
    table = community.messages
    if key.startswith("discord"):
        table = table[table["kind"] != "leave"]  # Discord posts no leave messages
    return table


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_round_trip_counts(community, exports, key):
    source = EXPORT_FORMATS[key][0]
    path = exports[key]
    if key != "whatsapp-ios":  # the iOS layout starts with "[" like JSON; see the report of helper-5
        assert detect_format(path) == source
    table, report = read_chat(path, source, tz="Asia/Shanghai")
    assert tuple(table.columns) == COLUMNS
    assert report.read == report.kept + report.dropped
    assert report.dropped == 0, report.problems[:3]
    want = expected(community, key)
    want_posts = want[~want["kind"].isin(EVENT_KINDS)]
    got_posts = table[~table["kind"].isin(EVENT_KINDS)]
    # WhatsApp adds one record: the end-to-end encryption notice at the top of every export
    extra = 1 if key.startswith("whatsapp") else 0
    assert len(table) == len(want) + extra
    if key in ("discord-csv", "whatsapp-ios"):
        # the CSV layout marks no kinds (a join is a row "Joined the server."), and the iOS notice
        # carries the group's name as its sender: only the total is certain
        return
    assert len(got_posts) == len(want_posts)
    assert got_posts["author_id"].nunique() == want_posts["author_id"].nunique()
    # pseudonymised by default: no raw generator id or name survives
    assert not set(got_posts["author_id"]) & set(want_posts["author_id"])
    assert not set(got_posts["author_name"].dropna()) & set(want_posts["author_name"].dropna())


@pytest.mark.parametrize("key", list(EXPORT_FORMATS))
def test_round_trip_times_replies_and_bots(community, exports, key):
    source = EXPORT_FORMATS[key][0]
    table, _ = read_chat(exports[key], source, tz="Asia/Shanghai")
    want = expected(community, key)
    want_posts = want[~want["kind"].isin(EVENT_KINDS)]
    got = table[table["author_name"].notna() | ~table["kind"].isin(EVENT_KINDS)]
    times = want_posts["timestamp"] if key in SECONDS else want_posts["timestamp"].dt.floor("min")
    got_posts = table[~table["kind"].isin(EVENT_KINDS)]
    got_times = got_posts["timestamp"].dt.floor("s") if key == "slack" else got_posts["timestamp"]  # ts adds µs
    assert got_times.max() == times.max()
    if key not in ("discord-csv", "whatsapp-ios"):  # there joins / the notice read as messages
        assert got_times.min() == times.min()
    assert str(table["timestamp"].dt.tz) in ("Asia/Shanghai", "UTC")
    assert table["timestamp"].is_monotonic_increasing
    linked = got_posts["reply_to"].notna() | (
        got_posts["thread"].notna() & (got_posts["thread"] != got_posts["message_id"])
    )
    if key in REPLIES:
        n_replies = want_posts["reply_to"].notna()
        if key == "discord-json":
            # the Discord importer links replies of text messages only
            n_replies &= want_posts["kind"] == "text"
        assert linked.sum() == n_replies.sum()
        ids = set(table["message_id"].dropna())
        assert got_posts.loc[got_posts["reply_to"].notna(), "reply_to"].isin(ids).all()
    else:
        assert linked.sum() == 0
    if key in BOTS:
        assert table["is_bot"].sum() == want["is_bot"].sum()
    assert len(got) > 0


def test_wechat_layouts_follow_the_exporters(exports):
    with open(exports["wechat-wechatmsg"], encoding="utf-8") as handle:
        assert handle.read(1) == "\ufeff"  # WeChatMsg writes UTF-8 with BOM (utf-8-sig)
        header = next(csv.reader(handle))
    assert header == [
        "localId",
        "TalkerId",
        "Type",
        "SubType",
        "IsSender",
        "CreateTime",
        "Status",
        "StrContent",
        "StrTime",
        "Remark",
        "NickName",
        "Sender",
    ]
    with open(exports["wechat-pywxdump"], encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["id", "MsgSvrID", "type_name", "is_sender", "talker", "room_name", "msg", "src", "CreateTime"]


def test_discord_and_slack_layouts(exports, community):
    data = json.loads(exports["discord-json"].read_text(encoding="utf-8"))
    assert data["messageCount"] == len(data["messages"])
    kinds = {m["type"] for m in data["messages"]}
    assert kinds <= {"Default", "Reply", "GuildMemberJoin", "ChannelNameChange"}
    assert "Reply" in kinds
    first_line = exports["discord-csv"].read_text(encoding="utf-8").splitlines()[0]
    assert first_line == '"AuthorID","Author","Date","Content","Attachments","Reactions"'
    with zipfile.ZipFile(exports["slack"]) as archive:
        names = archive.namelist()
    assert {"channels.json", "users.json"} <= set(names)
    assert any(name.startswith("general/") and name.endswith(".json") for name in names)


def test_whatsapp_android_lines(exports):
    lines = exports["whatsapp"].read_text(encoding="utf-8").splitlines()
    assert "Messages and calls are end-to-end encrypted" in lines[0]
    assert any("\u202fAM - " in line or "\u202fPM - " in line for line in lines[1:5])
