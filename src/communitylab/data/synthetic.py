"""A seeded synthetic community: the participation model turned into a chat log.

:func:`generate_community` runs :func:`communitylab.models.participation.simulate` and
turns its outcome into a ``Messages`` table (see :mod:`communitylab.data.schema`), so a
dashboard of a simulated community and one of a real export are computed the same way
and can be laid side by side. What comes from the model and what the generator adds:

From the model (module 03)
    every member's total posts (``Result.member_posts``, the model's own Poisson draw,
    optionally thinned to a target volume), the days each member is engaged (their
    threshold is at or below the day's buzz, ``Result.buzz``; everyone on launch day),
    the day-to-day volume (``Result.posts_per_day`` weights the days a member posts on),
    moderators (``moderators`` x ``moderator_posts`` per day) and check-in posts.

Added by the generator (documented choices, not part of the model)
    join days (``newcomer_share`` of members arrive after launch, uniformly over the
    first 80 % of the run; the model has everyone from day 0) - a newcomer posts only on
    engaged days after joining, so some of their model posts are lost; leaving (from the
    day a member first disengages, the model's daily hazard ``leave_rate * (1 - habit)``,
    as if they stayed disengaged); times of
    day (a fixed diurnal profile with an evening peak); replies (a ``reply_share`` of
    messages answer one of the few most recent opening messages by someone else); media
    and sticker messages; a daily bot post; a few system events (group renamed); and
    pseudonymous names drawn from word lists. Nothing in it describes a real person.

How members are present, when they post and whom they answer (engagement, join and
leave days, times of day, replies) is in :mod:`communitylab.data.synthetic_behavior`;
this module assembles the table. The writers that export the table in every supported
source format live in :mod:`communitylab.data.writers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from communitylab.data.schema import COLUMNS, KINDS, SOURCES
from communitylab.models import participation

from .synthetic_behavior import (
    DIURNAL_PROFILE,
    LAUNCH_HOUR,
    NS_PER_DAY,
    NS_PER_SECOND,
    draw_replies,
    member_presence,
    membership_events,
    sample_days,
    times_of_day,
)
from .synthetic_words import (
    BOT_NAME,
    BOT_POST,
    CHECKIN,
    MOD_NAME,
    MOD_POST,
    PHRASES,
    RENAME,
    STICKERS,
    language_key,
    pseudonymous_names,
)

__all__ = ["SyntheticCommunity", "generate_community", "pseudonymous_names", "DIURNAL_PROFILE"]


@dataclass(frozen=True)
class SyntheticCommunity:
    """A generated community and where it came from.

    Attributes
    ----------
    messages : DataFrame
        The ``Messages`` table (``source == "synthetic"``), sorted by time, ids ``"1"..``.
    model : participation.Result
        The model run behind it.
    operators : tuple of str
        ``author_id`` of the moderators (the model's ``moderators``).
    bots : tuple of str
        ``author_id`` of the bots.
    seed : int
    """

    messages: pd.DataFrame
    model: participation.Result
    operators: tuple[str, ...]
    bots: tuple[str, ...]
    seed: int


def generate_community(
    params: participation.Params | None = None,
    *,
    seed: int = 0,
    start: str = "2024-03-04",
    tz: str = "Asia/Shanghai",
    language: str = "en",
    target_messages: int | None = None,
    newcomer_share: float = 0.3,
    reply_share: float = 0.35,
    media_share: float = 0.08,
    sticker_share: float = 0.05,
    bots: int = 1,
    renames: int = 2,
    chat: str = "group",
) -> SyntheticCommunity:
    """Generate a seeded synthetic chat log of a community driven by the participation model.

    Parameters
    ----------
    params : participation.Params, optional
        Model parameters (default: the model's defaults, a 500-member group that goes
        quiet after about two months).
    seed : int
        Seeds the model run and the generator; same seed, same table.
    start : str
        Launch day (local date in ``tz``).
    tz : str
        IANA time zone of the group's local time.
    language : {"en", "zh"}
        Language of names and texts.
    target_messages : int, optional
        Rescale member posts to about this many (binomial thinning below the model's
        total, a Poisson draw around the scaled totals above it). Moderator, check-in
        and bot posts are not rescaled.
    newcomer_share : float
        Share of members who join after launch (uniformly over the first 80 % of the run).
    reply_share : float
        Share of member messages that reply to a recent opening message.
    media_share, sticker_share : float
        Shares of member messages that are media or stickers.
    bots : int
        Bot accounts; each posts one message a day at 8-9 am.
    renames : int
        Number of "group renamed" system events.
    chat : str
        Value of the ``chat`` column.

    Returns
    -------
    SyntheticCommunity
    """
    p = params or participation.Params()
    result = participation.simulate(p, seed=seed)
    rng = np.random.default_rng([seed, 20240304])
    lang = language_key(language)
    n, days = p.members, p.days

    # --- who is engaged and in the group when (see synthetic_behavior.member_presence)
    engaged, join_day, leave_day, present = member_presence(p, result, newcomer_share, rng)

    counts = result.member_posts.astype(np.int64)
    if target_messages is not None and counts.sum() > 0:
        scale = target_messages / counts.sum()
        counts = rng.binomial(counts, scale) if scale <= 1 else rng.poisson(counts * scale)
    weights = result.posts_per_day[None, :] * (engaged & present)
    rows, msg_day = sample_days(weights, counts, rng)

    names = pseudonymous_names(n, lang, rng)
    ids = np.array([f"m{i:05d}" for i in range(n)], dtype=object)
    name_of = dict(zip(ids, names, strict=True))

    parts: list[dict[str, np.ndarray]] = []

    # --- member messages
    m_author = ids[rows]
    kind_draw = rng.random(len(rows))
    m_kind = np.where(
        kind_draw < media_share, "media", np.where(kind_draw < media_share + sticker_share, "sticker", "text")
    )
    phrases = np.array(PHRASES[lang], dtype=object)
    m_text = phrases[rng.integers(0, len(phrases), len(rows))]
    m_text = np.where(
        m_kind == "sticker", np.array(STICKERS, dtype=object)[rng.integers(0, len(STICKERS), len(rows))], m_text
    )
    m_text = np.where(m_kind == "media", None, m_text)
    seconds = times_of_day(rng, len(rows))
    # the group opens at 8 am on launch day: nobody posts in it the night before
    seconds = np.where(msg_day == 0, np.maximum(seconds, LAUNCH_HOUR * 3600 + seconds % 3600), seconds)
    parts.append(
        {
            "day": msg_day,
            "sec": seconds,
            "author": m_author,
            "kind": m_kind,
            "text": m_text,
            "role": np.zeros(len(rows), np.int8),
        }
    )

    # --- moderators (operators) post every day
    operators = tuple(f"op{j + 1}" for j in range(p.moderators))
    for j, op in enumerate(operators):
        name_of[op] = f"{MOD_NAME[lang]} {pseudonymous_names(j + 1, lang)[j]}"
        per_day = rng.poisson(p.moderator_posts, size=days)
        d = np.repeat(np.arange(days), per_day)
        texts = np.array(MOD_POST[lang], dtype=object)[rng.integers(0, len(MOD_POST[lang]), len(d))]
        parts.append(
            {
                "day": d,
                "sec": times_of_day(rng, len(d)),
                "author": np.full(len(d), op, dtype=object),
                "kind": np.full(len(d), "text", dtype=object),
                "text": texts,
                "role": np.full(len(d), 1, np.int8),
            }
        )

    # --- check-in ritual: a share of present members post a check-in each ritual day
    if p.checkin:
        ck_days, ck_authors = [], []
        for t in range(p.checkin_start, days):
            here = np.flatnonzero(present[:, t])
            k = min(len(here), rng.poisson(p.checkin_share * len(here)))
            if k:
                ck_authors.append(ids[rng.choice(here, size=k, replace=False)])
                ck_days.append(np.full(k, t))
        if ck_days:
            d = np.concatenate(ck_days)
            texts = np.array([CHECKIN[lang].format(day=int(x) - p.checkin_start + 1) for x in d], dtype=object)
            parts.append(
                {
                    "day": d,
                    "sec": times_of_day(rng, len(d)),
                    "author": np.concatenate(ck_authors),
                    "kind": np.full(len(d), "text", dtype=object),
                    "text": texts,
                    "role": np.full(len(d), 2, np.int8),
                }
            )

    # --- bots: one post a day between 8 and 9 am
    bot_ids = tuple(f"bot{j + 1}" for j in range(bots))
    for j, bot in enumerate(bot_ids):
        name_of[bot] = BOT_NAME[lang] + ("" if j == 0 else str(j + 1))
        d = np.arange(days)
        parts.append(
            {
                "day": d,
                "sec": 8 * 3600 + rng.integers(0, 3600, days),
                "author": np.full(days, bot, dtype=object),
                "kind": np.full(days, "text", dtype=object),
                "text": np.full(days, BOT_POST[lang], dtype=object),
                "role": np.full(days, 3, np.int8),
            }
        )

    frame = pd.concat([pd.DataFrame(part) for part in parts], ignore_index=True)
    base = pd.Timestamp(start).value
    frame["local_ns"] = base + frame["day"].to_numpy() * NS_PER_DAY + frame["sec"].to_numpy() * NS_PER_SECOND

    # --- joins and leaves, kept before a member's first and after their last message
    events = membership_events(frame, ids, join_day, leave_day, days, operators, bot_ids, base, rng)
    renamed = rng.integers(1, days, size=renames)
    rename_rows = pd.DataFrame(
        {
            "local_ns": base + renamed * NS_PER_DAY + times_of_day(rng, renames) * NS_PER_SECOND,
            "author": operators[0] if operators else ids[0],
            "kind": "system",
            "text": RENAME[lang],
            "role": 4,
        }
    )
    frame = pd.concat([frame.drop(columns=["day", "sec"]), events, rename_rows], ignore_index=True)
    frame = frame.sort_values("local_ns", kind="stable", ignore_index=True)

    reply_to = draw_replies(frame, reply_share, rng)
    mention = (reply_to != None) & (rng.random(len(frame)) < 0.25) & (frame["kind"].to_numpy() == "text")  # noqa: E711
    if mention.any():
        # reply_to holds 1-based row numbers of the time-sorted frame
        target_author = frame["author"].to_numpy()[reply_to[mention].astype(np.int64) - 1]
        prefix = np.array(["@" + name_of[a] + " " for a in target_author], dtype=object)
        text = frame["text"].to_numpy(dtype=object).copy()
        text[mention] = prefix + text[mention]
        frame["text"] = text

    stamps = pd.to_datetime(frame["local_ns"].to_numpy()).tz_localize(
        tz, ambiguous=np.zeros(len(frame), dtype=bool), nonexistent="shift_forward"
    )
    authors = frame["author"].to_numpy(dtype=object)
    table = pd.DataFrame(
        {
            "message_id": pd.array(np.arange(1, len(frame) + 1).astype(str), dtype="string"),
            "timestamp": stamps.as_unit("ns"),
            "author_id": pd.array(authors, dtype="string"),
            "author_name": pd.array([name_of[a] for a in authors], dtype="string"),
            "text": pd.array(frame["text"].to_numpy(dtype=object), dtype="string"),
            "kind": pd.Categorical(frame["kind"].to_numpy(dtype=object), categories=KINDS),
            "reply_to": pd.array(reply_to, dtype="string"),
            "thread": pd.array([None] * len(frame), dtype="string"),
            "chat": pd.array([chat] * len(frame), dtype="string"),
            "source": pd.Categorical(["synthetic"] * len(frame), categories=SOURCES),
            "is_bot": np.isin(authors, np.array(bot_ids, dtype=object)),
        }
    )
    return SyntheticCommunity(messages=table[list(COLUMNS)], model=result, operators=operators, bots=bot_ids, seed=seed)
