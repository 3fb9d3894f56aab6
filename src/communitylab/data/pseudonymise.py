"""Privacy by default: stable pseudonyms and masking of contact details in chat text.

A pseudonym is a keyed hash (HMAC-SHA256) of the raw id, so

* the same person gets the same pseudonym in every import made with the same secret
  (a dashboard can follow members over time and across files), and
* nobody without the secret can test a guessed name or phone number against it
  (a plain hash of a phone number is reversed by trying all numbers).

The secret is per project: 32 random bytes kept in the user's data directory
(:func:`secret_path`), created on first use with owner-only permissions. It is never
put into a DataFrame, a report or an output file. Tests pass an explicit ``secret``.

Nothing here writes chat content to disk; the only file written is the secret itself.

Examples
--------
>>> p = Pseudonymiser(secret=b"test secret")
>>> p.author_id("wechat", "wxid_abc") == p.author_id("wechat", "wxid_abc")
True
>>> mask_text("call me at 13812345678 or mail a@b.cn, @Alice")
'call me at [phone] or mail [email], @[member]'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: Readable pseudonym prefixes by interface language.
MEMBER_WORD: dict[str, str] = {"en": "Member", "zh_CN": "成员", "zh": "成员"}
#: Hex digits of the hash shown in a readable name (lengthened where two names would collide).
NAME_DIGITS = 6
#: Hex digits of the hash in ``author_id`` (48 bits: collisions are negligible below ~10 million members).
ID_DIGITS = 12

# Masking runs over a whole column joined into one string, in two passes that each start
# with a cheap candidate search the regex engine can skip through quickly: "@" for e-mails
# and mentions, a run of digits for phone numbers. The precise patterns then run only on
# the few candidates (about 20x faster than a Python call per row on a million messages).
_SEP = "\x00"
_AT = re.compile("@")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_DOMAIN = re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# "@name" runs to whitespace (WeChat ends a mention with U+2005), punctuation or brackets.
_MENTION_NAME = re.compile(r"[^\s@,.;:!?，。；：！？、()\[\]（）【】<>\"'\u2005\x00]+")
# ASCII [0-9] rather than \d: the engine scans an ASCII class about twice as fast, and phone
# numbers in chat exports are written with ASCII digits.
# A mention already pseudonymised ("@Member 3f9a2c", written by the importers in place of
# a known member's name) is kept: it is no longer personal and tells who was addressed.
_PSEUDONYM = re.compile(r"(?:Member|成员) [0-9a-f]{6}")
_MENTION = re.compile(r"@(?!(?:Member|成员) [0-9a-f]{6})" + _MENTION_NAME.pattern)
# An "@" right after a character an address can hold: possibly an e-mail.
_EMAIL_AT = re.compile(r"[A-Za-z0-9._%+\-]@")
_DIGIT_RUN = re.compile(r"[0-9][0-9().\- \u00a0]{5,}[0-9]")
_PHONE = re.compile(
    "|".join(
        (
            # Chinese mobile numbers: 11 digits 1[3-9]xxxxxxxxx, optionally +86 / 86 and separators.
            r"(?<!\d)(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?!\d)",
            # International numbers written with a leading +: country code and 6 to 14 more digits.
            r"\+\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,6}(?!\d)",
            # North-American style (555) 123-4567 / 555-123-4567.
            r"(?<!\d)(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?!\d)",
            # Chinese landlines 010-12345678 / 0755-1234567.
            r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)",
        )
    )
)


def _mask_at_signs(text: str) -> str:
    """Replace e-mail addresses by ``[email]`` and @mentions by ``@[member]``."""
    if "@" not in text:
        return text
    if not _EMAIL_AT.search(text):  # mentions only, the usual case: one C-level substitution
        return _MENTION.sub("@[member]", text)
    pieces: list[str] = []
    done = 0  # text[:done] is already in pieces
    for match in _AT.finditer(text):
        at = match.start()
        if at < done:
            continue
        local = at
        while local > done and text[local - 1] in _EMAIL_LOCAL:
            local -= 1
        domain = _DOMAIN.match(text, at + 1)
        if local < at and domain:
            pieces.append(text[done:local])
            pieces.append("[email]")
            done = domain.end()
            continue
        name = None if _PSEUDONYM.match(text, at + 1) else _MENTION_NAME.match(text, at + 1)
        if name:
            pieces.append(text[done:at])
            pieces.append("@[member]")
            done = name.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_phones(text: str) -> str:
    """Replace phone numbers by ``[phone]``."""
    pieces: list[str] = []
    done = 0
    for match in _DIGIT_RUN.finditer(text):
        start, end = match.span()
        # Include a "+" or "(" just before the run (the run itself starts with a digit).
        while start > done and text[start - 1] in "+(":
            start -= 1
        candidate = text[start:end]
        masked = _PHONE.sub("[phone]", candidate)
        if masked != candidate:
            pieces.append(text[done:start])
            pieces.append(masked)
            done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def mask_text(text: str) -> str:
    """Mask phone numbers, e-mail addresses and @mentions in one message.

    Parameters
    ----------
    text : str
        Message text.

    Returns
    -------
    str
        The text with ``[phone]``, ``[email]`` and ``@[member]`` in their place.
    """
    return _mask_phones(_mask_at_signs(text))


def mask_joined(joined: str) -> str:
    """:func:`mask_text` of texts joined by NUL, none of which holds a NUL itself.

    No pattern crosses a NUL, so this equals masking each text and joining the results.
    Whether any "@" may start an e-mail is checked at the "@" signs only (a search for an
    address character before an "@" would try every position of the string).
    """
    if "@" in joined:
        at_signs = [m.start() for m in _AT.finditer(joined)]
        if _mentions_only(joined, at_signs):  # the usual case: one substitution for all
            joined = _MENTION.sub("@[member]", joined)
        else:
            joined = _mask_at_signs(joined)
    return _mask_phones(joined)


def _mentions_only(joined: str, at_signs: list[int]) -> bool:
    """Whether no "@" of ``joined`` (at ``at_signs``) follows an address character, so none starts an e-mail."""
    return not any(joined[i - 1] in _EMAIL_LOCAL for i in at_signs if i)


def mask_series(texts: pd.Series) -> pd.Series:
    """Mask a whole column of texts (missing values stay missing).

    The column is joined once into one string and searched for candidates ("@" and runs
    of digits) by the regex engine; only the messages that hold a candidate are then masked
    one by one. Most messages have none, so they are neither copied nor rebuilt.

    Parameters
    ----------
    texts : pandas.Series of str
        Message texts, ``<NA>`` allowed.

    Returns
    -------
    pandas.Series
        Same index, dtype ``string``.
    """
    values = texts.astype("string")
    present = values.notna().to_numpy()
    if not present.any():
        return values
    kept = values[present].tolist()
    joined = _SEP.join(kept)
    if joined.count(_SEP) != len(kept) - 1:
        # A text already contains the separator: mask row by row instead.
        masked = [mask_text(t) for t in kept]
    else:
        at_signs = [m.start() for m in _AT.finditer(joined)]
        if at_signs and _mentions_only(joined, at_signs):
            # Mentions only: one substitution for all.
            kept = _MENTION.sub("@[member]", joined).split(_SEP)
            joined, at_signs = _SEP.join(kept), []
        # ends[i] is the position just after text i (and its separator) in the joined string.
        ends = np.cumsum(np.fromiter(map(len, kept), dtype=np.int64, count=len(kept)) + 1)
        starts = at_signs + [m.start() for m in _DIGIT_RUN.finditer(joined)]
        del joined
        masked = kept
        for row in np.unique(np.searchsorted(ends, np.asarray(starts, dtype=np.int64), side="right")).tolist():
            masked[row] = mask_text(masked[row])
    if present.all():  # building a new column is much cheaper than assigning into one
        return pd.Series(masked, index=values.index, dtype="string")
    out = values.copy()
    out[present] = masked
    return out


def secret_path(project: str = "default") -> Path:
    """Where the secret of ``project`` lives (inside the user's data directory)."""
    from platformdirs import user_data_dir

    safe = re.sub(r"[^A-Za-z0-9_-]", "_", project) or "default"
    return Path(user_data_dir("communitylab", appauthor=False)) / "secrets" / f"pseudonym-{safe}.key"


def load_secret(project: str = "default", *, create: bool = True) -> bytes:
    """Read the per-project pseudonym secret, creating it on first use.

    Parameters
    ----------
    project : str
        Name of the project (one secret per project keeps pseudonyms of different
        projects unlinkable).
    create : bool
        Create a new random secret if none exists.

    Returns
    -------
    bytes
        The secret (32 bytes).
    """
    path = secret_path(project)
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    if not create:
        raise FileNotFoundError(f"no pseudonym secret for project {project!r} at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # O_EXCL: two processes starting at once must not overwrite each other's secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    return key


class Pseudonymiser:
    """Turns raw ids into stable keyed pseudonyms.

    Parameters
    ----------
    secret : bytes or str, optional
        The key. ``None`` uses :func:`load_secret` of ``project``.
    project : str
        Project whose stored secret to use when ``secret`` is None.
    language : str
        ``"en"`` gives "Member 3f9a2c", ``"zh_CN"`` gives "成员 3f9a2c".
    """

    def __init__(self, secret: bytes | str | None = None, *, project: str = "default", language: str = "en"):
        if secret is None:
            secret = load_secret(project)
        self._key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        self.word = MEMBER_WORD.get(language, MEMBER_WORD["en"])

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(word={self.word!r})"

    def digest(self, source: str, raw: str) -> str:
        """Hex HMAC-SHA256 of ``source:raw`` (the source keeps ids of two apps apart)."""
        return hmac.new(self._key, f"{source}:{raw}".encode(), hashlib.sha256).hexdigest()

    def author_id(self, source: str, raw: str) -> str:
        """Pseudonymous author id such as ``"m3f9a2c41d0e7"``."""
        return "m" + self.digest(source, raw)[:ID_DIGITS]

    def name(self, source: str, raw: str) -> str:
        """Readable pseudonym such as ``"Member 3f9a2c"``."""
        return f"{self.word} {self.digest(source, raw)[:NAME_DIGITS]}"

    def columns(self, source: str, raw_ids: pd.Series, *, keep_raw: Iterable[str] = ()) -> tuple[pd.Series, pd.Series]:
        """Pseudonymise a column of raw author keys.

        Each distinct key is hashed once, so a million messages by a thousand people cost a
        thousand hashes. Readable names that would collide get more hex digits.

        Parameters
        ----------
        source : str
            Source format.
        raw_ids : pandas.Series of str
            Raw author ids (or names where the source has no ids); ``<NA>`` stays ``<NA>``.
        keep_raw : iterable of str
            Raw ids the user opted out for (their own): these keep the raw id and name.

        Returns
        -------
        (author_id, author_name) : tuple of pandas.Series
            Both dtype ``string``.
        """
        codes, uniques = pd.factorize(raw_ids, use_na_sentinel=True)
        keep = set(keep_raw)
        digests = [self.digest(source, str(u)) for u in uniques]
        ids = np.array(["m" + d[:ID_DIGITS] for d in digests] + [None], dtype=object)
        names = _readable_names(self.word, digests)
        for i, raw in enumerate(uniques):
            if str(raw) in keep:
                ids[i] = str(raw)
                names[i] = str(raw)
        name_arr = np.array([*names, None], dtype=object)
        # code -1 (missing) picks the trailing None.
        return (
            pd.Series(ids[codes], index=raw_ids.index, dtype="string"),
            pd.Series(name_arr[codes], index=raw_ids.index, dtype="string"),
        )


def _readable_names(word: str, digests: Sequence[str]) -> list[str]:
    """Shortest readable names (at least ``NAME_DIGITS`` hex digits) that are all distinct."""
    width = NAME_DIGITS
    names = [f"{word} {d[:width]}" for d in digests]
    while len(set(names)) < len(names) and width < 64:
        seen: dict[str, int] = {}
        for n in names:
            seen[n] = seen.get(n, 0) + 1
        width += 2
        names = [f"{word} {d[:width]}" if seen[n] > 1 else n for n, d in zip(names, digests, strict=True)]
    return names
