"""WeChat CSV from WeChatMsg/留痕 and PyWxDump: headers, encodings, messy rows, fuzzing."""

from __future__ import annotations

import pandas as pd
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


def test_pywxdump_quoted_replies_are_replies():
    """引用回复 rows link to the message they quote, found by its time and words, as a Telegram
    reply links by id; the quote's name and words never enter the table."""
    from communitylab.data.metrics import reply_times
    from communitylab.data.summary import import_summary

    messages, report = read_chat(FIXTURES / "pywxdump_quotes.csv", secret=SECRET)
    assert (report.read, report.kept, report.dropped) == (9, 9, 0)
    by_id = messages.set_index("message_id")
    assert by_id.loc["9003", "reply_to"] == "9001"  # the only message of 19:00:00
    assert by_id.loc["9003", "text"] == "对，八点见"  # the reply's own words only
    assert by_id.loc["9006", "reply_to"] == "9005"  # two messages at 19:02:00: the quoted words decide
    assert by_id.loc["9007", "reply_to"] == "9002"  # a quoted image: the lone message of that second
    # quoting a message the export does not hold: named by its time, matching no message id
    assert by_id.loc["9008", "reply_to"] == "quoted@2024-03-01T10:00:00+08:00"
    assert by_id["reply_to"].isna().sum() == 5
    assert import_summary(messages, report)["replies"] == 4
    replies = reply_times(messages)
    assert replies.method == "explicit"
    first = replies.delays.set_index("timestamp").loc[pd.Timestamp("2024-03-05 11:00:00", tz="UTC")]
    assert first["delay_seconds"] == 70  # 9001 answered by the quote 9003
    cells = " ".join(str(cell) for cell in messages.to_numpy().ravel())
    for hidden in ("[引用]", "阿明", "群主", "小红", "老王", "上周五交作业"):
        assert hidden not in cells


def test_quoted_replies_in_the_old_pywxdump_layout_and_in_wechatmsg(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text(
        "id,MsgSvrID,type_name,is_sender,talker,room_name,content,CreateTime\n"
        '1,81,文本,0,wxid_a,9@chatroom,"{""src"": """", ""msg"": ""几点？""}",2023-03-02 09:00:00\n'
        '2,82,引用回复,0,wxid_b,9@chatroom,"{""src"": """", ""msg"": ""九点\\n\\n[引用](2023-03-02 09:00:00)A:几点？""}",'
        "2023-03-02 09:01:00\n",
        encoding="utf-8",
    )
    messages, _ = read_chat(old, secret=SECRET)
    assert messages["reply_to"].tolist()[1] == "81" and messages["text"].tolist()[1] == "九点"
    xml = (
        "<msg><appmsg><title>周五 &amp; 周六都行</title><type>57</type><refermsg><type>1</type>"
        "<chatusr>wxid_li4</chatusr><displayname>李四</displayname><content>周五见？</content>"
        "<createtime>1672545660</createtime></refermsg></appmsg></msg>"
    )
    header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
    wechatmsg = tmp_path / "wechatmsg.csv"
    wechatmsg.write_text(
        header
        + "1,5,1,0,0,1672545660,2,周五见？,2023-01-01 12:01:00,,李四,wxid_li4\n"
        + f"2,5,49,57,0,1672545720,2,{xml},2023-01-01 12:02:00,,王五,wxid_wang5\n",
        encoding="utf-8",
    )
    messages, _ = read_chat(wechatmsg, secret=SECRET)
    assert pd.isna(messages["reply_to"].iloc[0]) and messages["reply_to"].iloc[1] == "1"
    assert messages["text"].iloc[1] == "周五 & 周六都行"


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


@settings(max_examples=40, deadline=None)
@given(edits=mutations())
def test_fuzz_pywxdump_quoted_replies(edits):
    fuzz_file(FIXTURES / "pywxdump_quotes.csv", edits, "wechat")


def _read_pywxdump_rows(tmp_path, rows):
    """Import a PyWxDump CSV of these data rows (under PyWxDump's header)."""
    header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
    path = tmp_path / "chat.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return read_chat(path, "wechat", secret=SECRET)


def test_padded_type_codes_and_short_rows(tmp_path):
    # Type and SubType are stripped (each distinct code once); a short row's missing cells are blank.
    rows = [
        "1,g, 1 ,0,0,1672545600,2,hello,,,Ann,wxid_a",
        "2,g,47, 0,0,1672545601,2,,,,Ann,wxid_a",
        '3,g, 49 , 57 ,0,1672545602,2,"<msg><title>ok</title><refermsg><createtime>1672545600</createtime>'
        '<content>hello</content></refermsg></msg>",,,Bob,wxid_b',
        "4,g,3,0,0,1672545603,2,/img/x.jpg,,,Bob,wxid_b",
        "5,g,,0,0,1672545604,2,no type,,,Bob,wxid_b",
        "6,g,1,0,0,1672545605",
        '7,g,10000 ,0,0,1672545606,2,"""Ann""邀请""Cy""加入了群聊",,,,',
    ]
    messages, report = _read_pywxdump_rows(tmp_path, rows)
    assert (report.read, report.kept, report.dropped) == (7, 7, 0)
    assert messages["kind"].tolist() == ["text", "sticker", "text", "media", "media", "text", "join"]
    assert messages["reply_to"].tolist()[2] == "1"
    assert messages["text"].iloc[0] == "hello" and messages["text"].iloc[2] == "ok"
    assert pd.isna(messages["text"].iloc[1])  # a sticker has no words
    assert pd.isna(messages["text"].iloc[5]) and pd.isna(messages["author_id"].iloc[5])  # cut-short row
    assert pd.isna(messages["author_name"].iloc[6])


def test_an_id_repeated_in_another_chat_is_not_a_duplicate(tmp_path):
    rows = [
        "1,room_a,1,0,0,1672545600,2,hi,,,Ann,wxid_a",
        "1,room_b,1,0,0,1672545601,2,hi,,,Bob,wxid_b",
        "2,room_a,1,0,0,1672545602,2,yo,,,Ann,wxid_a",
        "1,room_b,1,0,0,1672545603,2,again,,,Bob,wxid_b",
    ]
    messages, report = _read_pywxdump_rows(tmp_path, rows)
    assert (report.kept, report.dropped, report.duplicates) == (3, 1, 1)
    assert list(zip(messages["chat"], messages["message_id"], strict=True)) == [
        ("room_a", "1"),
        ("room_b", "1"),
        ("room_a", "2"),
    ]
    assert [str(p) for p in report.problems] == ["chat.csv, record 4: message id 1 appeared earlier (kept once)"]
