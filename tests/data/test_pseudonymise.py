"""Keyed pseudonyms, the per-project secret, and masking of contact details."""

from __future__ import annotations

import stat

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communitylab.data import pseudonymise
from communitylab.data.pseudonymise import Pseudonymiser, load_secret, mask_series, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call 13812345678 now", "call [phone] now"),
        ("+86 138 1234 5678", "[phone]"),
        ("86-13912345678", "[phone]"),
        ("+49 30 1234567", "[phone]"),
        ("+1 (555) 123-4567", "[phone]"),
        ("(555) 123-4567", "[phone]"),
        ("010-12345678", "[phone]"),
        ("mail a.b-c@example.co.uk please", "mail [email] please"),
        ("ask @Alice, then @张三\u2005好", "ask @[member], then @[member]\u2005好"),
        ("<@U123> joined", "<@[member]> joined"),
        # Not phone numbers: dates, times, prices, order numbers, years.
        ("on 2023-01-02 at 12:30", "on 2023-01-02 at 12:30"),
        ("price 10000000 yuan", "price 10000000 yuan"),
        ("the 1990s and 2024", "the 1990s and 2024"),
        ("12345678901234567890", "12345678901234567890"),
    ],
)
def test_mask_text(text, masked):
    assert mask_text(text) == masked


def test_mask_series_keeps_missing_values_and_matches_row_by_row():
    texts = pd.Series(["a 13812345678", None, "b@c.de x", "", "plain"], dtype="string")
    out = mask_series(texts)
    assert out.isna().tolist() == [False, True, False, False, False]
    assert out.tolist()[0] == "a [phone]" and out.tolist()[2] == "[email] x"
    assert out.dropna().tolist() == [mask_text(t) for t in texts.dropna()]


def test_mask_series_with_separator_inside_text_falls_back():
    texts = pd.Series(["x\x00 13812345678", "y"], dtype="string")
    assert mask_series(texts).tolist() == ["x\x00 [phone]", "y"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab @.+-()0123456789中\n\u2005")), max_size=30), max_size=8))
def test_joined_masking_equals_row_by_row(texts):
    """The fast whole-column pass gives exactly the per-message result."""
    series = pd.Series(texts, dtype="string")
    assert mask_series(series).tolist() == [mask_text(t) for t in texts]


def test_pseudonyms_are_stable_keyed_and_readable():
    p = Pseudonymiser(secret=b"k1")
    q = Pseudonymiser(secret=b"k2")
    assert p.author_id("telegram", "user1") == p.author_id("telegram", "user1")
    assert p.author_id("telegram", "user1") != q.author_id("telegram", "user1")
    assert p.author_id("telegram", "user1") != p.author_id("slack", "user1")  # sources kept apart
    assert p.name("wechat", "wxid_a").startswith("Member ")
    assert Pseudonymiser(secret=b"k1", language="zh_CN").name("wechat", "wxid_a").startswith("成员 ")
    assert "k1" not in repr(p)


def test_columns_hash_each_author_once_and_keep_missing():
    p = Pseudonymiser(secret=b"k")
    ids, names = p.columns("wechat", pd.Series(["a", "b", None, "a"], dtype="string"))
    assert ids.isna().tolist() == [False, False, True, False]
    assert ids[0] == ids[3] != ids[1]
    assert names[0] == f"Member {p.digest('wechat', 'a')[:6]}"


def test_colliding_readable_names_get_longer(monkeypatch):
    monkeypatch.setattr(pseudonymise, "NAME_DIGITS", 1)  # force collisions among 40 authors
    p = Pseudonymiser(secret=b"k")
    _, names = p.columns("slack", pd.Series([f"user{i}" for i in range(40)], dtype="string"))
    assert names.is_unique


def test_keep_raw_opt_out():
    p = Pseudonymiser(secret=b"k")
    ids, names = p.columns("slack", pd.Series(["me", "you"], dtype="string"), keep_raw={"me"})
    assert ids.tolist()[0] == "me" and names.tolist()[0] == "me"
    assert ids.tolist()[1].startswith("m") and ids.tolist()[1] != "you"


def test_secret_is_created_once_private_and_outside_outputs(tmp_path, monkeypatch):
    monkeypatch.setattr(pseudonymise, "secret_path", lambda project="default": tmp_path / "secrets" / f"{project}.key")
    first = load_secret("course")
    assert len(first) == 32
    assert load_secret("course") == first
    assert load_secret("other") != first
    mode = (tmp_path / "secrets" / "course.key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    with pytest.raises(FileNotFoundError):
        load_secret("never", create=False)
    p = Pseudonymiser(project="course")
    ids, names = p.columns("wechat", pd.Series(["x"], dtype="string"))
    assert first.hex() not in ids[0] + names[0]


def test_secret_path_is_in_the_user_data_dir():
    path = pseudonymise.secret_path("my project/../x")
    assert "communitylab" in str(path)
    assert ".." not in path.name and "/" not in path.name
