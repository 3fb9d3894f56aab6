"""The synthetic community generator: deterministic, schema-conformant and tied to the participation model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from communitylab.data import metrics as M
from communitylab.data.schema import COLUMNS, EVENT_KINDS, KINDS
from communitylab.data.synthetic import generate_community, pseudonymous_names
from communitylab.models import participation

SMALL = participation.Params(members=200, days=60)


@pytest.fixture(scope="module")
def community():
    return generate_community(SMALL, seed=3)


def test_same_seed_same_table_other_seed_other_table(community):
    again = generate_community(SMALL, seed=3)
    pd.testing.assert_frame_equal(community.messages, again.messages)
    other = generate_community(SMALL, seed=4)
    assert not community.messages["author_id"].equals(other.messages["author_id"])


def test_schema_and_order(community):
    table = community.messages
    assert tuple(table.columns) == COLUMNS
    assert str(table["timestamp"].dt.tz) == "Asia/Shanghai"
    assert list(table["kind"].cat.categories) == list(KINDS)
    assert table["timestamp"].is_monotonic_increasing
    assert table["message_id"].is_unique
    assert (table["source"] == "synthetic").all()
    assert set(table["kind"].astype(str)) >= {"text", "join", "leave", "media", "sticker", "system"}


def test_replies_point_back_to_someone_elses_earlier_message(community):
    table = community.messages.set_index("message_id", drop=False)
    replies = table[table["reply_to"].notna()]
    assert len(replies) > 0
    targets = table.loc[replies["reply_to"].to_numpy()]
    assert (targets["timestamp"].to_numpy() <= replies["timestamp"].to_numpy()).all()
    assert (targets["author_id"].to_numpy() != replies["author_id"].to_numpy()).all()
    assert not targets["kind"].isin(EVENT_KINDS).any()


def test_membership_events_bracket_each_members_messages(community):
    table = community.messages
    posts = table[~table["kind"].isin(EVENT_KINDS)]
    first_post = posts.groupby("author_id")["timestamp"].min()
    last_post = posts.groupby("author_id")["timestamp"].max()
    joins = table[table["kind"] == "join"].groupby("author_id")["timestamp"].min()
    leaves = table[table["kind"] == "leave"].groupby("author_id")["timestamp"].max()
    assert (joins.reindex(first_post.index) < first_post).all()
    common = leaves.index.intersection(last_post.index)
    assert (leaves[common] > last_post[common]).all()
    # every member joins exactly once (200 members + one bot)
    assert len(joins) == 201


def test_founders_post_exactly_what_the_model_drew(community):
    # Members present from launch day keep the model's own per-member post count
    # (day 0 is an engaged day for everyone), so the simulated content shares are the model's.
    table = community.messages
    launch = table["timestamp"].iloc[0].normalize()
    joins = table[table["kind"] == "join"].groupby("author_id")["timestamp"].min()
    founders = joins[joins < launch + pd.Timedelta(days=1)].index
    founders = [a for a in founders if a.startswith("m")]
    counts = table[table["kind"].isin(["text", "media", "sticker"])].groupby("author_id").size()
    model_posts = community.model.member_posts
    for author in founders:
        assert counts.get(author, 0) == model_posts[int(author[1:])]
    # newcomers can only lose posts (they miss the engaged days before they joined)
    for author, count in counts.items():
        if author.startswith("m"):
            assert count <= model_posts[int(author[1:])]


def test_bots_operators_and_checkins():
    params = participation.Params(members=100, days=40, moderators=2, checkin=True)
    com = generate_community(params, seed=1, bots=1, language="zh")
    table = com.messages
    assert com.operators == ("op1", "op2")
    assert table.loc[table["is_bot"], "author_id"].unique().tolist() == ["bot1"]
    posts = table[~table["kind"].isin(EVENT_KINDS)]
    assert posts["is_bot"].sum() == 40  # one bot post a day
    assert table.loc[table["kind"] == "join", "is_bot"].sum() == 1  # and the bot's own join event
    assert table["text"].str.contains("打卡 ✅", regex=False).sum() > 0
    share = M.operator_share(table, operators=com.operators)
    assert 0 < share["operator_share"] < 1


def test_target_messages_rescales_member_posts():
    base = generate_community(SMALL, seed=5, newcomer_share=0.0, bots=0, renames=0)
    members = ~base.messages["kind"].isin(EVENT_KINDS)
    assert members.sum() == base.model.member_posts.sum()  # no newcomers: nothing is lost
    half = generate_community(SMALL, seed=5, newcomer_share=0.0, bots=0, renames=0, target_messages=members.sum() // 2)
    kept = (~half.messages["kind"].isin(EVENT_KINDS)).sum()
    assert abs(kept - members.sum() / 2) < 5 * np.sqrt(members.sum())


def test_pseudonymous_names_are_distinct():
    names = pseudonymous_names(1500, "en")
    assert len(set(names)) == 1500
    assert len(set(pseudonymous_names(100, "zh"))) == 100
