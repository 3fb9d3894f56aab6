"""Telegram Desktop ``result.json``: single chat, full account, messy records, fuzzing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from importer_fuzz import FIXTURES, REAL, SECRET, check_import, fuzz_file, mutations

from communitylab.data.importers import ChatImportError, detect_format, read_chat


def test_single_chat_fixture_counts_kinds_and_problems():
    messages, report = read_chat(FIXTURES / "telegram_single.json", secret=SECRET)
    # 15 records: 11 kept; dropped: a repeated id 4, no date, the date "yesterday", the number 42.
    assert (report.read, report.kept, report.dropped, report.duplicates) == (15, 11, 4, 1)
    reasons = {p.location: p.reason for p in report.problems}
    assert reasons["record 7"] == "message id 4 appeared earlier (kept once)"
    assert reasons["record 13"] == "not a message object"
    assert "'yesterday'" in reasons["record 12"]
    assert messages["kind"].value_counts().to_dict() == {
        "text": 5,
        "media": 2,
        "sticker": 1,
        "system": 1,
        "join": 1,
        "leave": 1,
    }
    # id 6 came before id 5 in the file but was sent later: the table is in time order.
    assert messages["message_id"].tolist()[:6] == ["1", "2", "3", "4", "5", "6"]
    by_id = messages.set_index("message_id")
    assert by_id.loc["4", "reply_to"] == "3"
    # entity list flattened; the member name in the text is the author's pseudonym
    bob = by_id.loc["3", "author_name"]
    assert by_id.loc["4", "text"] == f"Welcome, {bob}! See https://example.org"
    assert by_id.loc["7", "is_bot"]  # "QuizBot"
    assert by_id.loc["13", "is_bot"]  # sent via an inline bot
    assert not by_id.loc["8", "is_bot"]  # a channel posting is not a bot
    assert by_id.loc["9", "timestamp"].isoformat() == "2023-01-01T13:00:00+00:00"  # bare "date" in UTC


def test_masking_and_pseudonyms_in_text():
    messages, _ = read_chat(FIXTURES / "telegram_single.json", secret=SECRET)
    by_id = messages.set_index("message_id")
    alice = by_id.loc["4", "author_name"]
    # "@Alice" names a member: her pseudonym; "bob@example.org" stays an e-mail address.
    assert by_id.loc["3", "text"] == f"hi @{alice}, call me on [phone] or [email]"
    assert not messages["author_name"].isin(["Alice", "Bob", "Carol", "Dan"]).any()
    assert messages["author_name"].str.startswith("Member ").all()


def test_opt_out_keeps_raw_names_and_text():
    messages, _ = read_chat(FIXTURES / "telegram_single.json", pseudonymise=False)
    row = messages.set_index("message_id").loc["3"]
    assert row["author_name"] == "Bob" and row["author_id"] == "user2"
    assert "+49 170 1234567" in row["text"]


def test_full_account_export_prefixes_ids_per_chat():
    messages, report = read_chat(FIXTURES / "telegram_account.json", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (6, 6, 0)
    assert set(messages["chat"]) == {"2", "3", "4"}  # two chats and one left chat
    assert messages["message_id"].is_unique
    assert set(messages["reply_to"].dropna()) == {"2:1", "3:2"}
    assert set(messages["reply_to"].dropna()) <= set(messages["message_id"])
    assert messages["kind"].tolist().count("join") == 1


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        ("test_single_export.json", ["Minimal Message", "Link:https://telegram.org/"]),
        ("test_batch_export.json", ["Minimal Message", "Link:https://telegram.org/"]),
    ],
)
def test_real_chat_miner_samples(name, texts):
    """Samples from joweich/chat-miner (MIT): no ids, no from_id, only date_unixtime."""
    path = REAL / "telegram" / name
    assert detect_format(path) == "telegram"
    messages, report = read_chat(path, secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (2, 2, 0)
    assert messages["text"].tolist() == texts
    assert messages["timestamp"].iloc[0].isoformat() == "2018-12-05T10:39:10+00:00"  # 1544006350
    assert messages["message_id"].isna().all()
    assert messages["author_id"].nunique() == 2


def test_time_zone_is_applied_to_display_and_to_bare_dates():
    messages, _ = read_chat(FIXTURES / "telegram_single.json", secret=SECRET, tz="Asia/Shanghai")
    by_id = messages.set_index("message_id")
    assert by_id.loc["3", "timestamp"].isoformat() == "2023-01-01T20:02:00+08:00"  # exact instant, shown in +8
    assert by_id.loc["9", "timestamp"].isoformat() == "2023-01-01T13:00:00+08:00"  # local time read in +8


def test_truncated_json_is_a_clear_error(tmp_path):
    data = (FIXTURES / "telegram_single.json").read_bytes()
    cut = tmp_path / "result.json"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ChatImportError, match="cut off"):
        read_chat(cut, secret=SECRET)


def test_broken_json_names_the_line(tmp_path):
    text = (FIXTURES / "telegram_single.json").read_text(encoding="utf-8")
    broken = tmp_path / "result.json"
    broken.write_text(text.replace('"id": 5,', '"id": 5,,', 1), encoding="utf-8")
    with pytest.raises(ChatImportError, match=r"not valid JSON near line \d+"):
        read_chat(broken, secret=SECRET)


def test_json_without_messages_is_not_telegram(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"date_unixtime": "1", "hello": "world"}), encoding="utf-8")
    with pytest.raises(ChatImportError, match="not a Telegram Desktop export"):
        read_chat(path, "telegram", secret=SECRET)


def test_folder_with_result_json_is_read(tmp_path):
    (tmp_path / "result.json").write_bytes((FIXTURES / "telegram_account.json").read_bytes())
    assert detect_format(tmp_path) == "telegram"
    messages, _ = read_chat(tmp_path, secret=SECRET)
    assert len(messages) == 6


def test_minified_json_takes_the_careful_path_with_same_result(tmp_path):
    doc = json.loads((FIXTURES / "telegram_single.json").read_text(encoding="utf-8"))
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    pretty, pretty_report = read_chat(FIXTURES / "telegram_single.json", secret=SECRET)
    minified, minified_report = read_chat(path, secret=SECRET)
    assert minified.equals(pretty)
    assert (minified_report.read, minified_report.dropped) == (pretty_report.read, pretty_report.dropped)


def test_many_batches_match_one_batch(tmp_path):
    """A file larger than the reading window gives the same rows as reading it whole."""
    from communitylab.data.importers import _jsonstream, telegram
    from communitylab.data.importers._options import Options

    base = json.loads((FIXTURES / "telegram_account.json").read_text(encoding="utf-8"))
    messages = [
        {
            "id": i,
            "type": "message",
            "date_unixtime": str(1675245600 + i),
            "from": f"U{i % 7}",
            "from_id": f"user{i % 7}",
            "text": f"message {i}",
        }
        for i in range(1, 3001)
    ]
    base["chats"]["list"][1]["messages"] = messages
    path = tmp_path / "result.json"
    path.write_text(json.dumps(base, indent=1), encoding="utf-8")
    whole, _ = read_chat(path, secret=SECRET)
    original = _jsonstream.JsonStream.__init__.__defaults__
    try:
        _jsonstream.JsonStream.__init__.__defaults__ = (4096,)  # tiny windows: many refills
        windowed, report = telegram.read(path, Options(secret=SECRET))
    finally:
        _jsonstream.JsonStream.__init__.__defaults__ = original
    assert report.kept == 3000 + 3
    assert windowed.equals(whole)


@settings(max_examples=60, deadline=None)
@given(edits=mutations())
def test_fuzz_single_chat(edits):
    fuzz_file(FIXTURES / "telegram_single.json", edits, "telegram")


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_full_account(edits):
    fuzz_file(FIXTURES / "telegram_account.json", edits, "telegram")


def test_check_import_accepts_the_fixture():
    assert check_import(FIXTURES / "telegram_single.json") is not None


def test_byte_order_mark_and_damaged_bytes_keep_every_message(tmp_path):
    """The fast path reads bytes: a BOM shifts every offset, a damaged byte is no UTF-8."""
    data = (FIXTURES / "telegram_account.json").read_bytes()
    reference, _ = read_chat(FIXTURES / "telegram_account.json", secret=SECRET)
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + data)
    messages, _ = read_chat(with_bom, secret=SECRET)
    assert messages.equals(reference)
    # Damage past the first 256 KB (the encoding is judged on those): one character is lost.
    doc = {
        "name": "big",
        "type": "private_group",
        "id": 9,
        "messages": [
            {
                "id": i,
                "type": "message",
                "date_unixtime": str(1675245600 + i),
                "from": "A",
                "from_id": "user1",
                "text": f"message number {i} with some padding text",
                "text_entities": [],
            }
            for i in range(1, 4001)
        ],
    }
    text = json.dumps(doc, indent=1).encode()
    assert len(text) > 300_000
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(text.replace(b"message number 3999 ", b"message number 3999 \xff"))
    messages, report = read_chat(damaged, secret=SECRET)
    assert (report.kept, report.dropped) == (4000, 0)
    assert messages["text"].iloc[3998] == "message number 3999 \ufffdwith some padding text"


def test_many_chats_in_small_windows(tmp_path):
    """Each chat's messages array switches to the byte reader and back; none is lost."""
    from communitylab.data.importers import _jsonstream, telegram
    from communitylab.data.importers._options import Options

    chats = [
        {
            "name": f"chat {c}",
            "type": "private_group",
            "id": c,
            "messages": [
                {
                    "id": i,
                    "type": "message",
                    "date_unixtime": str(1675245600 + 60 * i + c),
                    "from": f"U{i % 3}",
                    "from_id": f"user{i % 3}",
                    "text": f"chat {c} message {i} \U0001f600",
                    "text_entities": [],
                }
                for i in range(1, 40)
            ],
        }
        for c in range(1, 30)
    ]
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {"personal_information": {"user_id": 1}, "chats": {"about": "", "list": chats}},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    original = _jsonstream.JsonStream.__init__.__defaults__
    try:
        _jsonstream.JsonStream.__init__.__defaults__ = (1000,)
        messages, report = telegram.read(path, Options(secret=SECRET))
    finally:
        _jsonstream.JsonStream.__init__.__defaults__ = original
    assert report.kept == 29 * 39 and report.dropped == 0
    assert messages["message_id"].is_unique
    assert messages["text"].str.endswith("\U0001f600").all()


def test_missing_or_odd_text_is_no_text(tmp_path):
    doc = {
        "name": "c",
        "type": "private_group",
        "id": 1,
        "messages": [
            {"id": 1, "type": "message", "date_unixtime": "1675245600", "from": "A", "from_id": "user1"},
            {"id": 2, "type": "message", "date_unixtime": "1675245601", "from": "A", "from_id": "user1", "text": 42},
            {"id": 3, "type": "message", "date_unixtime": "1675245602", "from": "A", "from_id": "user1", "text": ""},
            {"id": 4, "type": "message", "date_unixtime": "1675245603", "from": "A", "from_id": "user1", "text": "hi"},
        ],
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    messages, report = read_chat(path, secret=SECRET)
    assert report.kept == 4
    assert messages["text"].isna().tolist() == [True, True, True, False]
