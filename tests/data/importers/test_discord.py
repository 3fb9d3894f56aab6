"""DiscordChatExporter CSV and JSON: replies by reference, bots, system messages, fuzzing."""

from __future__ import annotations

from hypothesis import given, settings
from importer_fuzz import FIXTURES, REAL, SECRET, fuzz_file, mutations

from communitylab.data.importers import detect_format, read_chat


def test_json_fixture_counts_kinds_and_replies():
    messages, report = read_chat(FIXTURES / "discord.json", secret=SECRET)
    # 13 records: no timestamp, a string instead of a message, a repeated id 1008.
    assert (report.read, report.kept, report.dropped, report.duplicates) == (13, 10, 3, 1)
    by_id = messages.set_index("message_id")
    assert by_id.loc["1003", "reply_to"] == "1002"  # type Reply
    assert by_id.loc["1004", "reply_to"] == "1002"  # type Default, marked only by its reference
    assert by_id["reply_to"].notna().sum() == 2  # the pin's and the thread notice's references are not replies
    assert by_id.loc["1005", "kind"] == "system" and by_id.loc["1009", "kind"] == "system"
    assert by_id.loc["1001", "kind"] == "join" and by_id.loc["1012", "kind"] == "leave"
    assert by_id.loc["1006", "kind"] == "media" and by_id.loc["1008", "kind"] == "sticker"
    assert by_id["is_bot"].sum() == 1 and by_id.loc["1007", "is_bot"]
    # 10:07+02:00 is 08:07 UTC: the bot's message sorts first.
    assert messages["message_id"].iloc[0] == "1007"
    assert set(messages["chat"]) == {"50"}
    # a mention of a known member becomes that member's pseudonym
    assert by_id.loc["1002", "text"] == f"Welcome @{by_id.loc['1001', 'author_name']}! Rules are pinned."


def test_csv_fixture_dates_and_attachments():
    messages, report = read_chat(FIXTURES / "discord.csv", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (5, 4, 1)
    assert str(report.problems[0]) == "discord.csv, record 5: the time 'not a date' could not be read"
    assert [t.isoformat() for t in messages["timestamp"]] == [
        "2023-01-02T13:00:00+00:00",
        "2023-01-02T13:05:09.123000+00:00",  # 14:05:09.123+01:00
        "2023-01-02T14:10:00+00:00",
        "2023-01-02T15:00:00+00:00",  # old locale format "02-Jan-23 03:00 PM"
    ]
    assert messages["kind"].tolist() == ["text", "text", "media", "text"]
    assert messages["text"].iloc[3] == "Deploy finished\nall green"  # multi-line cell
    assert messages["is_bot"].tolist() == [False, False, False, True]  # webhook "#0000"
    assert messages["message_id"].isna().all()


def test_faithful_samples_agree_between_csv_and_json():
    json_messages, json_report = read_chat(REAL / "discord" / "general.json", secret=SECRET)
    csv_messages, csv_report = read_chat(REAL / "discord" / "general.csv", secret=SECRET)
    assert detect_format(REAL / "discord" / "general.json") == "discord"
    assert detect_format(REAL / "discord" / "general.csv") == "discord"
    assert json_report.kept == csv_report.kept == 6
    assert json_messages["timestamp"].tolist() == csv_messages["timestamp"].tolist()
    assert json_messages["author_id"].tolist() == csv_messages["author_id"].tolist()  # same keyed pseudonyms
    assert json_messages["reply_to"].notna().sum() == 1
    assert json_messages["is_bot"].sum() == 1


@settings(max_examples=60, deadline=None)
@given(edits=mutations())
def test_fuzz_json(edits):
    fuzz_file(FIXTURES / "discord.json", edits, "discord")


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_csv(edits):
    fuzz_file(FIXTURES / "discord.csv", edits, "discord")


CSV_EVENTS = [
    ("Joined the server.", "join"),
    ("Added bob to the group.", "join"),
    ("Added a recipient.", "join"),
    ("Left the group.", "leave"),
    ("Removed bob from the group.", "leave"),
    ("Removed a recipient.", "leave"),
    ("Started a call that lasted 12 minutes.", "system"),
    ("Started a call.", "system"),
    ("Changed the channel name: study hall", "system"),
    ("Changed the channel name.", "system"),
    ("Changed the channel icon.", "system"),
    ("Pinned a message.", "system"),
    ("Started a thread.", "system"),
    ("I joined the server. Hi!", "text"),  # not the exporter's whole sentence: a message
]


def test_csv_service_rows_are_events_not_messages(tmp_path):
    """DiscordChatExporter writes its fallback sentences (``GetFallbackContent``) into Content."""
    lines = ['"AuthorID","Author","Date","Content","Attachments","Reactions"']
    for minute, (content, _) in enumerate(CSV_EVENTS):
        lines.append(f'"111","alice","2023-01-02T14:{minute:02d}:00+00:00","{content}","",""')
    path = tmp_path / "channel.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages, report = read_chat(path, secret=SECRET)
    assert report.kept == len(CSV_EVENTS)
    assert messages["kind"].tolist() == [kind for _, kind in CSV_EVENTS]
    # The name in "Added bob to the group." is pseudonymised like everywhere else.
    assert "bob" not in " ".join(messages["text"].dropna())


def test_json_replies_are_kept_for_sticker_and_attachment_messages(tmp_path):
    import json

    data = json.loads((FIXTURES / "discord.json").read_text(encoding="utf-8"))
    base = {k: v for k, v in data.items() if k != "messages"}
    first = next(m for m in data["messages"] if m.get("id") == "1002")
    sticker = dict(
        first,
        id="2001",
        type="Reply",
        content="",
        stickers=[{"id": "9", "name": "wave"}],
        reference={"messageId": "1002", "channelId": "50", "guildId": "5"},
    )
    picture = dict(
        first,
        id="2002",
        type="Default",
        content="",
        attachments=[{"id": "8", "url": "https://cdn.example/a.png", "fileName": "a.png"}],
        reference={"messageId": "1002", "channelId": "50", "guildId": "5"},
    )
    path = tmp_path / "channel.json"
    path.write_text(json.dumps({**base, "messages": [first, sticker, picture]}), encoding="utf-8")
    messages, _ = read_chat(path, secret=SECRET)
    by_id = messages.set_index("message_id")
    assert by_id.loc["2001", "kind"] == "sticker" and by_id.loc["2001", "reply_to"] == "1002"
    assert by_id.loc["2002", "kind"] == "media" and by_id.loc["2002", "reply_to"] == "1002"
