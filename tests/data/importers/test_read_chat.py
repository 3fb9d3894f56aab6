"""``read_chat`` and ``detect_format``: detection, and the clear errors every importer shares."""

from __future__ import annotations

import pytest
from importer_fuzz import FIXTURES, REAL, SECRET

from communitylab.data.importers import FORMATS, ChatImportError, detect_format, read_chat
from communitylab.data.schema import COLUMNS, KINDS


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FIXTURES / "telegram_single.json", "telegram"),
        (FIXTURES / "telegram_account.json", "telegram"),
        (FIXTURES / "wechatmsg_group.csv", "wechat"),
        (FIXTURES / "pywxdump.csv", "wechat"),
        (FIXTURES / "pywxdump_old.csv", "wechat"),
        (FIXTURES / "discord.csv", "discord"),
        (FIXTURES / "discord.json", "discord"),
        (FIXTURES / "whatsapp_android.txt", "whatsapp"),
        (FIXTURES / "whatsapp_ios_ambiguous.txt", "whatsapp"),
        (FIXTURES / "whatsapp_us_12h.txt", "whatsapp"),
        (FIXTURES / "slack_export", "slack"),
        (REAL / "slack" / "export", "slack"),
    ],
)
def test_detection(path, expected):
    assert detect_format(path) == expected


def test_every_fixture_gives_the_schema():
    for path in [*FIXTURES.glob("*.*"), FIXTURES / "slack_export"]:
        messages, report = read_chat(path, secret=SECRET)
        assert tuple(messages.columns) == COLUMNS
        assert list(messages["kind"].cat.categories) == list(KINDS)
        assert report.format in FORMATS
        assert messages["source"].astype(str).eq(report.format).all()
        assert str(messages["message_id"].dtype) == "string"
        assert messages["is_bot"].dtype == bool


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "only blank space"),
        (b"just some notes\nnothing like a chat\n", "Could not recognise"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (b'{"hello": "world"}', "neither a Telegram"),
        (b"[1, 2, 3]", "not of Slack messages"),
    ],
)
def test_unrecognised_input(tmp_path, content, message):
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    with pytest.raises(ChatImportError, match=message):
        read_chat(path, secret=SECRET)


def test_missing_file_and_unknown_format_name(tmp_path):
    with pytest.raises(ChatImportError, match="does not exist"):
        read_chat(tmp_path / "nope.json", secret=SECRET)
    with pytest.raises(ChatImportError, match="does not exist"):
        read_chat(tmp_path / "nope.json", "telegram", secret=SECRET)
    with pytest.raises(ChatImportError, match="Unknown format 'myspace'"):
        read_chat(FIXTURES / "discord.csv", "myspace", secret=SECRET)


def test_unknown_time_zone():
    with pytest.raises(ChatImportError, match="Unknown time zone"):
        read_chat(FIXTURES / "discord.csv", tz="Mars/Olympus_Mons", secret=SECRET)


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "telegram_single.json",
        FIXTURES / "wechatmsg_group.csv",
        FIXTURES / "discord.json",
        FIXTURES / "whatsapp_android.txt",
        FIXTURES / "slack_export",
    ],
)
def test_oversized_exports_are_refused_with_the_limit(path):
    with pytest.raises(ChatImportError, match=r"more than the limit of 100 bytes.*max_bytes"):
        read_chat(path, secret=SECRET, max_bytes=100)


def test_wrong_format_named_explicitly_is_a_clear_error():
    with pytest.raises(ChatImportError):
        read_chat(FIXTURES / "discord.csv", "wechat", secret=SECRET)
    with pytest.raises(ChatImportError):
        read_chat(FIXTURES / "wechatmsg_group.csv", "telegram", secret=SECRET)


def test_zero_or_negative_limit_is_refused():
    with pytest.raises(ChatImportError, match="max_bytes"):
        read_chat(FIXTURES / "discord.csv", secret=SECRET, max_bytes=0)


def test_keep_own_leaves_only_the_users_messages_readable():
    messages, _ = read_chat(FIXTURES / "telegram_single.json", secret=SECRET, keep_own=["Alice"])
    alice = messages[messages["author_id"] == "user1"]
    assert len(alice) == 3 and alice["author_name"].eq("Alice").all()
    others = messages[messages["author_id"] != "user1"]
    assert others["author_name"].str.startswith("Member ").all()


def test_chinese_pseudonyms():
    messages, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET, language="zh_CN")
    assert messages["author_name"].dropna().str.startswith("成员 ").all()


def test_same_secret_same_pseudonyms_other_secret_other_pseudonyms():
    first, _ = read_chat(FIXTURES / "discord.json", secret=SECRET)
    again, _ = read_chat(FIXTURES / "discord.json", secret=SECRET)
    other, _ = read_chat(FIXTURES / "discord.json", secret=b"another project")
    assert first["author_id"].tolist() == again["author_id"].tolist()
    assert set(first["author_id"]).isdisjoint(set(other["author_id"]))


def test_stored_project_secret_is_used_when_no_secret_is_given(tmp_path, monkeypatch):
    from communitylab.data import pseudonymise

    monkeypatch.setattr(pseudonymise, "secret_path", lambda project="default": tmp_path / f"{project}.key")
    first, report = read_chat(FIXTURES / "discord.json", project="course-a")
    again, _ = read_chat(FIXTURES / "discord.json", project="course-a")
    other, _ = read_chat(FIXTURES / "discord.json", project="course-b")
    assert first["author_id"].tolist() == again["author_id"].tolist()
    assert set(first["author_id"]).isdisjoint(set(other["author_id"]))
    key = (tmp_path / "course-a.key").read_text()
    assert key not in first.to_csv() and key not in repr(report)
