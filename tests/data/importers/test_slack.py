"""Slack workspace exports: folder and zip, threads, bots without user ids, broken day files."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from importer_fuzz import FIXTURES, REAL, SECRET, check_import, fuzz_folder, mutate, mutations

from communitylab.data.importers import ChatImportError, detect_format, read_chat

EXPORT = FIXTURES / "slack_export"


def _zip(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def test_folder_counts_threads_bots_and_problems():
    messages, report = read_chat(EXPORT, secret=SECRET)
    # 15 records: no ts, a string, a day file cut mid-string (one problem), a repeated ts.
    assert (report.read, report.kept, report.dropped, report.duplicates) == (15, 11, 4, 1)
    locations = {(p.file, p.location) for p in report.problems}
    assert ("random/2023-01-03.json", "record 1") in locations
    assert ("general/2023-01-02.json", "record 8") in locations
    thread = "1672653660.000200"
    assert (messages["thread"] == thread).sum() == 3
    assert (messages["reply_to"] == thread).sum() == 2  # the thread's first message replies to nothing
    assert messages["is_bot"].sum() == 2  # bot_message without a user id, and a bot user
    assert messages["author_id"].notna().all()
    assert messages["kind"].value_counts()[["join", "leave", "media", "system"]].tolist() == [1, 1, 1, 1]
    assert set(messages["chat"]) == {"general", "random"}
    assert messages["timestamp"].iloc[0].isoformat() == "2023-01-02T10:00:00.000100+00:00"  # microseconds kept


@pytest.mark.parametrize("prefix", ["", "Study Workspace Slack export Jan 1 2023 - Jan 3 2023/"])
def test_zip_equals_folder(tmp_path, prefix):
    archive = _zip(EXPORT, tmp_path / "export.zip", prefix)
    assert detect_format(archive) == "slack"
    from_zip, zip_report = read_chat(archive, secret=SECRET)
    from_folder, _ = read_chat(EXPORT, secret=SECRET)
    assert zip_report.kept == 11
    assert from_zip.equals(from_folder)


def test_single_day_file(tmp_path):
    path = tmp_path / "general" / "2023-01-03.json"
    path.parent.mkdir()
    shutil.copy(EXPORT / "general" / "2023-01-03.json", path)
    assert detect_format(path) == "slack"
    messages, report = read_chat(path, secret=SECRET)
    assert (report.kept, report.duplicates) == (3, 1)
    assert set(messages["chat"]) == {"general"}


def test_faithful_sample():
    messages, report = read_chat(REAL / "slack" / "export", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (5, 5, 0)
    assert messages["reply_to"].notna().sum() == 1
    assert messages["is_bot"].sum() == 1
    assert messages["kind"].tolist().count("join") == 1


def test_zip_bomb_is_refused_by_unpacked_size(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("channels.json", "[]")
        zf.writestr("general/2023-01-01.json", "[" + " " * 2_000_000 + "]")
    assert archive.stat().st_size < 100_000
    with pytest.raises(ChatImportError, match="unpacks to"):
        read_chat(archive, secret=SECRET, max_bytes=1_000_000)


def test_damaged_zip_is_a_clear_error(tmp_path):
    archive = _zip(EXPORT, tmp_path / "export.zip")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    try:
        result = check_import(archive, "slack")
    except AssertionError:
        raise
    assert result is None or result[1].read == result[1].kept + result[1].dropped


def test_folder_without_day_files(tmp_path):
    (tmp_path / "channels.json").write_text(json.dumps([]), encoding="utf-8")
    with pytest.raises(ChatImportError, match="no channel day files"):
        read_chat(tmp_path, secret=SECRET)


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_day_file(edits):
    fuzz_folder(EXPORT, "general/2023-01-02.json", edits, "slack")


@settings(max_examples=20, deadline=None)
@given(edits=mutations())
def test_fuzz_users_file(edits):
    fuzz_folder(EXPORT, "users.json", edits, "slack")


@settings(max_examples=30, deadline=None)
@given(edits=mutations())
# A flipped byte in a member's compression method made zipfile raise NotImplementedError.
@example(edits=[("flip_byte", 8954845, 64)])
def test_fuzz_zip_bytes(edits):
    with tempfile.TemporaryDirectory() as tmp:
        buffer = io.BytesIO()
        _zip(EXPORT, Path(tmp) / "export.zip")
        buffer.write((Path(tmp) / "export.zip").read_bytes())
        target = Path(tmp) / "damaged.zip"
        target.write_bytes(mutate(buffer.getvalue(), edits))
        check_import(target, "slack")
        check_import(target, "auto")


def test_ts_is_parsed_exactly_to_the_nanosecond(tmp_path):
    """``ts`` is decimal text: seconds and fraction are read as integers, no float noise."""
    import json

    day = tmp_path / "general" / "2024-04-05.json"
    day.parent.mkdir()
    stamps = ["1712345627.000001", "1712345678.000100", "1712345679.123456789", "1712345680"]
    day.write_text(json.dumps([{"type": "message", "user": "U1", "text": "hi", "ts": ts} for ts in stamps]))
    messages, _ = read_chat(day, "slack", secret=SECRET)
    assert messages["timestamp"].array.asi8.tolist() == [
        1712345627_000001000,
        1712345678_000100000,
        1712345679_123456789,
        1712345680_000000000,
    ]
    assert messages["message_id"].tolist() == stamps  # the id stays the text as written
