"""WeChat CSV from WeChatMsg/留痕 and PyWxDump: headers, encodings, messy rows, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from importer_fuzz import FIXTURES, REAL, SECRET, fuzz_file, mutations

from communitylab.data.importers import ChatImportError, detect_format, read_chat


def test_wechatmsg_fixture_counts_and_problems():
    messages, report = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET)
    # 11 rows: a 13-field row (line 12), the CreateTime "broken" without StrTime, a repeated localId 6.
    assert (report.read, report.kept, report.dropped, report.duplicates) == (11, 8, 3, 1)
    assert [str(p) for p in report.problems] == [
        "wechatmsg_group.csv, line 12: wrong number of fields (expected 12 fields, saw 13)",
        "wechatmsg_group.csv, record 8: the time 'broken' could not be read",
        "wechatmsg_group.csv, record 7: message id 6 appeared earlier (kept once)",
    ]
    assert messages["kind"].tolist() == ["join", "text", "text", "sticker", "media", "text", "text", "leave"]
    # localId 5 was written before 4 but sent later: sorted.
    assert messages["message_id"].tolist() == ["1", "2", "3", "4", "5", "6", "8", "9"]
    by_id = messages.set_index("message_id")
    assert by_id.loc["6", "text"] == "同意，周五见"  # quoted reply: text taken from the XML title
    assert by_id.loc["8", "timestamp"].isoformat() == "2023-01-01T12:08:00+08:00"  # StrTime fallback
    # the member's own name in free text becomes the pseudonym of wxid_li4
    assert by_id.loc["2", "text"] == f"大家好，我是{by_id.loc['2', 'author_name']}，电话[phone]"
    assert by_id.loc["3", "text"] == f"@{by_id.loc['2', 'author_name']}\u2005欢迎！有问题发邮件 [email]"
    assert pd_isna(by_id.loc["5", "text"])  # media rows carry no text


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_default_time_zone_is_china_and_can_be_overridden():
    messages, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET)
    assert str(messages["timestamp"].dt.tz) == "Asia/Shanghai"
    assert messages["timestamp"].iloc[0].isoformat() == "2023-01-01T12:00:00+08:00"
    utc, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET, tz="UTC")
    assert utc["timestamp"].iloc[0].isoformat() == "2023-01-01T04:00:00+00:00"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_give_the_same_table(tmp_path, encoding):
    text = (FIXTURES / "wechatmsg_group.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "chat.csv"
    path.write_bytes(text.encode(encoding))
    assert detect_format(path) == "wechat"
    messages, report = read_chat(path, secret=SECRET)
    reference, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET)
    assert report.kept == 8
    assert messages.equals(reference)


def test_unknown_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "chat.csv"
    header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n"
    path.write_bytes(header.encode() + b"1,5,1,0,0,1672545600,2,\xff\xfe\xfd\xff,2023-01-01 12:00:00,,x,y\r\n")
    with pytest.raises(ChatImportError, match="not text in a known encoding"):
        read_chat(path, secret=SECRET)


def test_pywxdump_new_layout():
    messages, report = read_chat(FIXTURES / "pywxdump.csv", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (6, 6, 0)
    assert messages["kind"].tolist() == ["text", "media", "text", "join", "sticker", "system"]
    assert messages["chat"].unique().tolist() == ["123@chatroom"]
    assert messages["message_id"].iloc[0] == "7001"
    # "2023/03/01 08:05:00" (slashes) is read too.
    assert messages["timestamp"].iloc[-1].isoformat() == "2023-03-01T08:05:00+08:00"


def test_pywxdump_old_layout_with_json_inside_the_csv_cell():
    messages, report = read_chat(FIXTURES / "pywxdump_old.csv", secret=SECRET)
    assert report.kept == 4
    assert messages["text"].tolist() == ["JSON 里的文字", "一个 JSON 字符串", "plain text, not JSON", "{broken json"]


@pytest.mark.parametrize(
    ("name", "kept", "kinds"),
    [
        ("读书会_utf8.csv", 6, {"text": 3, "media": 1, "sticker": 1, "join": 1}),
        ("20240304@chatroom_0_5000.csv", 5, {"text": 2, "media": 1, "sticker": 1, "join": 1}),
    ],
)
def test_faithful_samples(name, kept, kinds):
    messages, report = read_chat(REAL / "wechat" / name, secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (kept, kept, 0)
    counts = {k: v for k, v in messages["kind"].value_counts().to_dict().items() if v}
    assert counts == kinds
    assert messages["timestamp"].iloc[0].isoformat() == "2024-03-04T09:00:00+08:00"


def test_csv_with_other_columns_is_refused(tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ChatImportError, match="not a WeChat export"):
        read_chat(path, "wechat", secret=SECRET)


def test_unclosed_quote_is_a_clear_error(tmp_path):
    text = (FIXTURES / "pywxdump.csv").read_text(encoding="utf-8")
    path = tmp_path / "chat.csv"
    path.write_text(text + '7,"7007,文本,0,wxid_a,123@chatroom,"never closed\n', encoding="utf-8")
    try:
        _, report = read_chat(path, secret=SECRET)
    except ChatImportError as exc:
        assert "could not be read as CSV" in str(exc)
    else:  # pandas may also swallow the rest into one field; then counts must still add up
        assert report.read == report.kept + report.dropped


@settings(max_examples=60, deadline=None)
@given(edits=mutations())
def test_fuzz_wechatmsg(edits):
    fuzz_file(FIXTURES / "wechatmsg_group.csv", edits, "wechat")


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_pywxdump(edits):
    fuzz_file(FIXTURES / "pywxdump_old.csv", edits, "wechat")
