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
    assert by_id.loc["1002", "text"] == "Welcome @[member]! Rules are pinned."


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
