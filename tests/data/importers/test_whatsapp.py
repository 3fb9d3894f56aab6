"""WhatsApp "Export chat" text: date order, 12/24 h, iOS and Android layouts, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from importer_fuzz import FIXTURES, REAL, SECRET, fuzz_file, mutations

from communitylab.data.importers import detect_format, read_chat


def test_android_day_first_with_system_lines_and_multiline():
    messages, report = read_chat(FIXTURES / "whatsapp_android.txt", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (9, 9, 0)
    assert report.notes == []  # 13/01 settles the order
    assert messages["kind"].tolist() == ["system", "system", "join", "text", "text", "media", "join", "text", "leave"]
    bob = messages["author_name"].iloc[3]  # Bob's pseudonym replaces his name in the text
    assert messages["text"].iloc[4] == f"Welcome {bob}.\nThis message has\nthree lines"
    assert messages["text"].iloc[3] == "Hi all! My number is [phone]"
    assert messages["timestamp"].iloc[-1].isoformat() == "2023-01-15T20:00:00+00:00"
    assert messages["author_id"].iloc[:3].isna().all()  # system lines have no author


def test_ambiguous_dates_use_the_documented_default_and_say_so():
    messages, report = read_chat(FIXTURES / "whatsapp_ios_ambiguous.txt", secret=SECRET)
    assert report.kept == 5
    assert len(report.notes) == 1 and "day/month/year" in report.notes[0]
    assert messages["timestamp"].iloc[0].isoformat() == "2023-02-01T14:05:09+00:00"  # 01/02 = 1 February
    # The encryption notice (written as from the group, "Alice" here) is an event, not a message.
    assert messages["kind"].tolist() == ["system", "text", "media", "sticker", "text"]  # U+200E removed
    assert messages["author_id"].isna().tolist() == [True, False, False, False, False]
    assert "\u200e" not in "".join(messages["text"].dropna())


def test_month_first_twelve_hour_clock():
    messages, report = read_chat(FIXTURES / "whatsapp_us_12h.txt", secret=SECRET, tz="America/New_York")
    assert (report.read, report.kept, report.dropped) == (5, 4, 1)
    assert str(report.problems[0]) == ("whatsapp_us_12h.txt, line 1: does not start with a date and follows no message")
    assert [t.strftime("%Y-%m-%d %H:%M %z") for t in messages["timestamp"]] == [
        "2023-01-13 21:00 -0500",
        "2023-01-13 21:01 -0500",
        "2023-01-14 00:05 -0500",
        "2023-01-14 12:30 -0500",
    ]


@pytest.mark.parametrize(
    ("name", "kept", "first", "last"),
    [
        ("test_ddmmyy_24hrs.txt", 9, "2019-01-01T11:25:00", "2021-12-30T22:01:00"),
        ("test_mmddyyyy_12hrs.txt", 9, "2019-01-01T11:25:00", "2021-12-30T22:01:00"),
        ("testlog.txt", 18, "2014-12-24T17:08:00", "2022-09-10T22:37:00"),
    ],
)
def test_real_chat_miner_samples(name, kept, first, last):
    """Samples from joweich/chat-miner (MIT); both date orders give the same instants."""
    path = REAL / "whatsapp" / name
    assert detect_format(path) == "whatsapp"
    messages, report = read_chat(path, secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (kept, kept, 0)
    assert messages["timestamp"].iloc[0].isoformat() == first + "+00:00"
    assert messages["timestamp"].iloc[-1].isoformat() == last + "+00:00"


def test_both_chat_miner_orders_agree():
    day_first, _ = read_chat(REAL / "whatsapp" / "test_ddmmyy_24hrs.txt", secret=SECRET)
    month_first, _ = read_chat(REAL / "whatsapp" / "test_mmddyyyy_12hrs.txt", secret=SECRET)
    assert day_first["timestamp"].tolist() == month_first["timestamp"].tolist()
    assert day_first["kind"].tolist() == month_first["kind"].tolist()
    # "John Doe:." is a message "." by John Doe, not a system line.
    assert day_first["kind"].tolist().count("text") == 7


@settings(max_examples=60, deadline=None)
@given(edits=mutations())
def test_fuzz_android(edits):
    fuzz_file(FIXTURES / "whatsapp_android.txt", edits, "whatsapp")


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_real_log(edits):
    fuzz_file(REAL / "whatsapp" / "testlog.txt", edits, "whatsapp")


def test_damaged_year_is_dropped_with_its_reason(tmp_path):
    text = (FIXTURES / "whatsapp_android.txt").read_text(encoding="utf-8")
    path = tmp_path / "chat.txt"
    path.write_text(text.replace("13/01/2023, 09:06", "13/01/3023, 09:06"), encoding="utf-8")
    messages, report = read_chat(path, secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (9, 8, 1)
    assert str(report.problems[0]) == (
        "chat.txt, line 5: the date '13/01/3023, 09:06' is outside 1990-2099, so it is damaged"
    )
    assert messages["timestamp"].is_monotonic_increasing


IOS_LINES = (
    "[01/02/2023, 14:05:09] Garden club: \u200eMessages and calls are end-to-end encrypted. No one outside of "
    "this chat, not even WhatsApp, can read or listen to them.\n"
    "[01/02/2023, 14:05:10] Garden club: \u200eAlice created this group\n"
    "[01/02/2023, 14:05:11] Garden club: \u200eAlice added Bob\n"
    "[13/02/2023, 14:06:00] Alice: Hello [everyone]\n"
    "[13/02/2023, 14:07:00] Bob: \u200eimage omitted\n"
)


@pytest.mark.parametrize("prefix", ["", "\ufeff", "\u200e", "\ufeff\u200e"])
def test_ios_file_starting_with_a_bracket_is_whatsapp_not_json(tmp_path, prefix):
    path = tmp_path / "_chat.txt"
    path.write_text(prefix + IOS_LINES, encoding="utf-8")
    assert detect_format(path) == "whatsapp"
    messages, report = read_chat(path, secret=SECRET)
    assert report.kept == 5 and report.dropped == 0
    assert messages["kind"].tolist() == ["system", "system", "join", "text", "media"]
    # The group's name is not an author: the service lines have none.
    assert messages["author_id"].iloc[:3].isna().all()
    assert messages["author_id"].nunique() == 2
    assert messages["text"].iloc[0].startswith("Messages and calls are end-to-end encrypted")
