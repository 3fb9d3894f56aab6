"""Large Telegram exports are read by worker processes: the same table and report as one process."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from importer_fuzz import FIXTURES, SECRET

from communitylab.data.importers import read_chat, telegram


def _grown(fixture: str, copies: int) -> dict:
    """A fixture export with its messages repeated: new ids, except every 7th copy, which
    repeats the ids of the first (dropped as repeats); odd records and bad dates come along."""
    data = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    chats = data["chats"]["list"] + data["left_chats"]["list"] if "chats" in data else [data]
    for chat in chats:
        original = chat["messages"]
        grown = []
        for copy in range(copies):
            for message in original:
                if isinstance(message, dict) and isinstance(message.get("id"), int) and copy % 7:
                    message = {**message, "id": message["id"] + 1000 * copy}
                    if isinstance(message.get("reply_to_message_id"), int):
                        message["reply_to_message_id"] += 1000 * copy
                grown.append(message)
        chat["messages"] = grown
    return data


def _both(path, monkeypatch) -> tuple[tuple, tuple, int]:
    """(table, report) read in one process and with workers, and how many arrays the workers read."""
    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 10**12)
    single = read_chat(path, secret=SECRET)
    calls = []
    shared = telegram._read_messages_in

    def counted(*args, **kwargs):
        calls.append(1)
        return shared(*args, **kwargs)

    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(telegram, "WINDOW_BYTES", 5000)  # many windows from a small file
    monkeypatch.setattr(telegram, "_read_messages_in", counted)
    parallel = read_chat(path, secret=SECRET)
    return single, parallel, len(calls)


@pytest.mark.parametrize("fixture", ["telegram_single.json", "telegram_account.json"])
def test_workers_give_the_same_table_and_report(fixture, tmp_path, monkeypatch):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_grown(fixture, 40), ensure_ascii=False, indent=1), encoding="utf-8")
    (messages, report), (shared_messages, shared_report), arrays = _both(path, monkeypatch)
    assert arrays >= 1  # the worker path really ran
    assert report.dropped > 0 and report.duplicates > 0 and len(messages) > 100
    pd.testing.assert_frame_equal(shared_messages, messages)
    assert shared_report == report  # same counts and problems, with the same record numbers


def test_a_file_the_workers_cannot_cut_is_read_in_one_process(tmp_path, monkeypatch):
    # Not pretty-printed: no line holds only an element's closing brace.
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_grown("telegram_single.json", 20), ensure_ascii=False), encoding="utf-8")
    (messages, report), (shared_messages, shared_report), _ = _both(path, monkeypatch)
    pd.testing.assert_frame_equal(shared_messages, messages)
    assert shared_report == report


def test_a_damaged_window_falls_back_to_one_process_with_the_same_error(tmp_path, monkeypatch):
    text = json.dumps(_grown("telegram_single.json", 20), ensure_ascii=False, indent=1)
    cut = text.index('"date"', len(text) // 2)
    path = tmp_path / "result.json"
    path.write_text(text[:cut] + '"date" 5,' + text[cut + 6 :], encoding="utf-8")  # a missing ":"
    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 10**12)
    with pytest.raises(ValueError) as single:
        read_chat(path, secret=SECRET)
    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(telegram, "WINDOW_BYTES", 5000)
    with pytest.raises(ValueError) as shared:
        read_chat(path, secret=SECRET)
    assert str(shared.value) == str(single.value)


def test_an_error_after_the_messages_names_the_same_line(tmp_path, monkeypatch):
    # The workers skip the line count of the array; a later error must still name the right line.
    text = json.dumps(_grown("telegram_single.json", 20), ensure_ascii=False, indent=1)
    path = tmp_path / "result.json"
    path.write_text(text[: text.rindex("}")] + ',\n "extra": nope\n}\n', encoding="utf-8")
    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 10**12)
    with pytest.raises(ValueError, match="line") as single:
        read_chat(path, secret=SECRET)
    monkeypatch.setattr(telegram, "PARALLEL_BYTES", 1000)
    monkeypatch.setattr(telegram, "WINDOW_BYTES", 5000)
    with pytest.raises(ValueError) as shared:
        read_chat(path, secret=SECRET)
    assert str(shared.value) == str(single.value)
