"""Privacy of member names inside texts (``importers._names``): with ``pseudonymise=True``
no raw member name or id survives anywhere in the table, including the names that
service events write into their text ("张三"邀请"李四"加入了群聊, "Alice added Bob",
"<@U3> has joined the channel", "Added bob to the group.")."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from importer_fuzz import FIXTURES, REAL, SECRET

from communitylab.data.importers import read_chat
from communitylab.data.importers._names import replace_names, scrub_event, scrub_texts
from communitylab.data.pseudonymise import Pseudonymiser, mask_series

#: Names that appear only inside texts (not as an author), per fixture.
EXTRA_NAMES = {
    "wechatmsg_group.csv": ["张三", "李四", "王五", "小李"],
    "pywxdump.csv": ["wxid_c", "B"],
    "pywxdump_quotes.csv": ["阿明", "群主", "小红", "老王"],
    "whatsapp_android.txt": ["Alice", "Bob", "Carol"],
    "whatsapp_ios_ambiguous.txt": ["Alice", "Bob"],
    "slack_export": ["U1", "U2", "U3", "alice", "Carol C", "Alice A", "Bob B"],
    "telegram_single.json": ["Alice", "Bob", "Carol"],
    "telegram_account.json": [],
    "discord.json": ["alice", "bob", "carol"],
    "discord.csv": ["alice", "bob"],
    "general.csv": ["ana", "ben"],
    "general.json": ["ana", "ben"],
}
CASES = [FIXTURES / name for name in EXTRA_NAMES if (FIXTURES / name).exists()] + [
    REAL / "discord" / "general.csv",
    REAL / "discord" / "general.json",
    REAL / "slack" / "export",
    REAL / "telegram" / "test_single_export.json",
]


def _raw_names(path) -> set[str]:
    raw, _ = read_chat(path, secret=SECRET, pseudonymise=False)
    names = set(raw["author_name"].dropna()) | set(raw["author_id"].dropna())
    names |= set(EXTRA_NAMES.get(path.name, []))
    # Bare numbers (Discord's "111") cannot be told from message ids and counts.
    return {n for n in names if n.strip() and not n.isdigit()}


def _pattern(name: str) -> re.Pattern[str]:
    """A raw name as a word: as written, Capitalised, Title Case (so lower case too for
    lower-case handles (``ben`` is found as "Ben"; a bot "Digest" is not found in "weekly
    digest", an ordinary word: the documented rule of ``_names``)."""
    if name.isascii():
        spellings = {name, name[:1].upper() + name[1:], name.title()}
        body = "|".join(re.escape(s) for s in sorted(spellings))
        return re.compile(r"(?<![A-Za-z0-9_])(?:" + body + r")(?![A-Za-z0-9_])")
    return re.compile(re.escape(name))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_no_raw_member_name_survives_anywhere(path):
    names = _raw_names(path)
    assert names, "the fixture must have member names to test"
    messages, _ = read_chat(path, secret=SECRET)
    cells = [
        str(v)
        for column in messages.columns
        if messages[column].dtype != bool
        for v in messages[column].dropna().astype(str).tolist()
    ]
    leaks = sorted({(name, cell) for name in names for cell in cells if _pattern(name).search(cell)})
    assert leaks == []


def test_event_names_become_the_authors_pseudonyms():
    messages, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET)
    by_id = messages.set_index("message_id")
    zhang, li = by_id.loc["3", "author_name"], by_id.loc["2", "author_name"]  # 张三 and 李四 as authors
    assert by_id.loc["1", "text"] == f'"{zhang}"邀请"{li}"加入了群聊'
    assert by_id.loc["9", "text"] == f'"{by_id.loc["6", "author_name"]}"退出了群聊'


def test_whatsapp_names_keyed_by_name_even_without_messages():
    messages, _ = read_chat(FIXTURES / "whatsapp_android.txt", secret=SECRET)
    alice = messages["author_name"].iloc[4]
    bob = messages["author_name"].iloc[3]
    assert messages["text"].iloc[2] == f"{alice} added {bob}"
    assert messages["text"].iloc[1] == f'{alice} created group "Garden club"'  # the group name is not a member


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    [
        ("wechat", "X joined the group via QR code", "[member] joined the group via QR code"),
        ("wechat", '"张三"邀请"李四"加入了群聊', '"P(张三)"邀请"P(李四)"加入了群聊'),
        ("wechat", '"张三"修改群名为"读书会"', '"P(张三)"修改群名为"读书会"'),
        ("wechat", "张三邀请李四、王五加入了群聊", "P(张三)邀请P(李四)、P(王五)加入了群聊"),
        ("whatsapp", "Alice added Bob, Carol and Dave", "P(Alice) added P(Bob), P(Carol) and P(Dave)"),
        ("whatsapp", "Bob left", "P(Bob) left"),
        ("whatsapp", "You removed Bob", "You removed P(Bob)"),
        ("slack", "<@U3|carol> has joined the channel", "P(U3) has joined the channel"),
        ("discord", "Added bob to the group.", "Added P(bob) to the group."),
        ("discord", "Joined the server.", "Joined the server."),
    ],
)
def test_scrub_event_texts(source, text, expected):
    known = {"张三", "李四", "王五", "Alice", "Bob", "Carol", "Dave", "U3", "bob"}
    found: set[str] = set()
    out = scrub_event(text, source, lambda n: f"P({n.strip()})" if n.strip() in known else "[member]", found)
    assert out == expected


def test_opt_out_keeps_names_in_texts():
    raw, _ = read_chat(FIXTURES / "wechatmsg_group.csv", secret=SECRET, pseudonymise=False)
    assert raw["text"].iloc[0] == '"张三"邀请"李四"加入了群聊'


def test_names_in_texts_use_the_same_key_as_authors():
    p = Pseudonymiser(SECRET)
    messages, _ = read_chat(FIXTURES / "whatsapp_android.txt", secret=SECRET)
    assert messages["text"].iloc[2] == f"{p.name('whatsapp', 'Alice')} added {p.name('whatsapp', 'Bob')}"
    assert pd.isna(messages["author_name"].iloc[2])


def test_multi_word_names_in_mentions_are_replaced_whole(tmp_path):
    """ "@Rusty Lemur 9" must not become "@[member] Lemur 9" (half a name left)."""
    import json

    messages = [
        {
            "id": 1,
            "type": "message",
            "date_unixtime": "1672574400",
            "from": "Rusty Lemur 9",
            "from_id": "user1",
            "text": "hello",
        },
        {
            "id": 2,
            "type": "message",
            "date_unixtime": "1672574460",
            "from": "Amber Yak 8",
            "from_id": "user2",
            "text": "@Rusty Lemur 9 welcome! write to rusty@example.org",
        },
    ]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "g", "type": "private_group", "id": 1, "messages": messages}))
    table, _ = read_chat(path, secret=SECRET)
    rusty = table["author_name"].iloc[0]
    assert table["text"].iloc[1] == f"@{rusty} welcome! write to [email]"


_TEXT_PIECES = st.sampled_from(
    [
        *("Ann", "ann", "Anne", "Bob Lee", "bob", "张三", "张", "@", ".", "a@b.cn", "x@", " ", "\n", "\u2005"),
        *("_", "1", "13812345678", "+86 138", "(555) 123-4567", "Member 3f9a2c", "Ann.", "Bob Leex", "/Ann", "-"),
        *("", "abc"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_TEXT_PIECES, max_size=6).map("".join)), max_size=8))
def test_joined_scrubbing_equals_the_two_passes(texts):
    """scrub_texts searches one joined string: the same texts as replace_names, then mask_series."""
    names = {"Ann": "Member aaaaaa", "Bob Lee": "Member bbbbbb", "张三": "成员 cccccc", "bob": "Member dddddd"}
    series = pd.Series(texts, dtype="string")
    expected = mask_series(replace_names(series, names))
    assert scrub_texts(series, names).tolist() == expected.tolist()
    assert scrub_texts(series, {}).tolist() == mask_series(series).tolist()


@pytest.mark.parametrize("gap", [False, True], ids=["no missing text", "a missing text"])
@pytest.mark.parametrize(
    ("scrub", "expected"),
    [
        (scrub_texts, ["call [phone]", "Member aaaaaa says hi"]),
        (replace_names, ["call 13812345678", "Member aaaaaa says hi"]),
    ],
    ids=["scrub_texts", "replace_names"],
)
def test_scrubbing_leaves_the_callers_texts_as_they_were(scrub, expected, gap):
    texts = pd.Series(["call 13812345678", *([None] if gap else []), "Ann says hi"], dtype="string")
    before = texts.tolist()
    scrubbed = scrub(texts, {"Ann": "Member aaaaaa"})
    assert scrubbed.dropna().tolist() == expected
    assert texts.tolist() == before
