"""Member names inside message text: service events and free text (privacy by default).

Authors are pseudonymised column-wise in :func:`._finish.finish`, but names also hide in
text: WeChat's ``"张三"邀请"李四"加入了群聊``, WhatsApp's ``Alice added Bob``, Slack's
``<@U123> has joined the channel``, DiscordChatExporter's ``Added bob to the group.``, and
plain messages such as ``Welcome, Bob!``. Two passes replace them:

1. **Event texts** (kinds ``system``, ``join``, ``leave``): the places where each source
   writes a name (quoted names in WeChat, the name before the verb and the list after
   "added" in WhatsApp, ``<@id>`` in Slack ...) are rewritten with :func:`resolver`.
2. **All texts**: every known member name (display names of the table's authors, ids where
   the source writes them in text, and the names found in pass 1) is replaced wherever it
   stands, in one regex search over the whole column. Latin names match on word boundaries
   as written, Capitalised or Title Case (a handle "ben" is found as "ben" and "Ben"), and need at least 3 characters; other names (Chinese)
   match anywhere and need at least 2. Shorter names are too likely to be ordinary words
   ("Al", "B", "我") to be replaced everywhere. A capitalised name written in lower case
   in a text ("rusty lemur") is not found: the price of a fast case-sensitive search.

A name is replaced by the same readable pseudonym its author rows get ("Member 3f9a2c")
when it can be identified (it is an author's name or id in the table, or, where the
source keys authors by name or by id, it is such a key), else masked as ``[member]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from communitylab.data.pseudonymise import Pseudonymiser, mask_joined, mask_series
from communitylab.data.schema import EVENT_KINDS

MASK = "[member]"
_SEP = "\x00"
#: Minimum length of a name replaced in free text (Latin / other scripts).
MIN_LATIN, MIN_OTHER = 3, 2

# -- where each source writes names in its event texts -----------------------------------
# A quoted name: WeChat writes "name" with ASCII or curly quotes.
_QUOTED = re.compile(r'"([^"\n]{1,80})"|“([^”\n]{1,80})”|「([^」\n]{1,80})」')
# "X joined the group via QR code", "X invited Y to the group chat", "X removed Y from ...".
_EN_VERBS = (
    r"joined|invited|added|removed|left|recalled|changed|created|was removed|was added|"
    r"has joined|has left|set|renamed|pinned|started|deleted|made|is now|were added|"
    r"joined using|kicked|patted|tickled"
)
_LEAD_NAME = re.compile(rf"^(?:You |你)?(?P<name>[^\n:\"“]{{1,80}}?) (?:{_EN_VERBS})\b")
# The object list: "added Bob", "added Bob, Carol and Dave", "removed Bob", "invited Y to ..."
_OBJECT_NAMES = re.compile(
    r"\b(?:added|removed|invited|kicked)\s+(?P<names>[^\n\"“]+?)(?=\s+(?:to|from|into|as)\b|[.。]?$)"
)
_LIST_SPLIT = re.compile(r",\s*|\s+and\s+|\s*、\s*|\s*和\s*")
# WeChat Chinese without quotes: "X邀请Y加入了群聊", "X通过扫描二维码加入群聊", "X退出了群聊".
_ZH_LEAD = re.compile(r"^(?P<name>[^\s\"“”:：，,。]{1,40}?)(?=邀请|通过|加入|退出|撤回|修改|拍了拍|将|被)")
_ZH_OBJECT = re.compile(r"(?<=邀请)(?P<names>[^\"“”\s]{1,200}?)(?=加入)|(?<=将)(?P<names2>[^\"“”\s]{1,200}?)(?=移出)")
# Slack user markup "<@U123>" or "<@U123|alice>".
_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# DiscordChatExporter's fallback texts that carry a name.
_DISCORD = re.compile(r"^(?:Added (?P<a>.+) to the group\.|Removed (?P<r>.+) from the group\.)$")
_NOT_NAMES = frozenset({"you", "You", "你", "the group", "this group", "group", "a recipient", "群聊"})
#: Sources whose author key is the display name itself, and the shape of raw author ids.
_KEYED_BY_NAME = frozenset({"whatsapp"})
_ID_PATTERNS = {
    "wechat": r"wxid_[A-Za-z0-9_\-]+",
    "slack": r"[UWB][A-Z0-9]+",
    "discord": r"\d{15,20}",
    "telegram": r"(?:user|channel)\d+",
}


def scrub_events(
    raw: pd.DataFrame, author_key: pd.Series, author_name: pd.Series, pseudonymiser: Pseudonymiser, source: str
) -> tuple[pd.Series, dict[str, str]]:
    """Pass 1: names in service events ("X added Y") become that member's pseudonym (or ``[member]``).

    Returns the texts with event texts rewritten, and the names pass 2 (:func:`scrub_texts`)
    replaces everywhere: raw display name -> pseudonym, including names the events revealed.
    """
    texts = raw["text"].astype("string")
    # Raw ids are looked up only where texts write them (wxid_..., <@U123>); elsewhere the
    # resolver recognises an id by its shape, which spares a pass over a million keys.
    keys = author_key if source in ("wechat", "slack") else author_key.iloc[:0]
    none = author_key.iloc[:0]
    by_name = known_names(raw["author_name"], none, author_name)
    known = {**by_name, **known_names(none, keys, author_name)}
    kind = raw["kind"].to_numpy(dtype=object)
    events = np.isin(kind, list(EVENT_KINDS)) & texts.notna().to_numpy()
    found: set[str] = set()
    if events.any():
        resolve = resolver(pseudonymiser, source, known, source in _KEYED_BY_NAME, _ID_PATTERNS.get(source))
        scrubbed = [scrub_event(t, source, resolve, found) for t in texts[events].tolist()]
        texts = texts.copy()
        texts[events] = scrubbed
        for name in found:
            by_name.setdefault(name, resolve(name))
    # Free text is searched for display names (and the names events revealed), not for raw
    # ids: members write names, and ids in a text are the export's markup, handled above.
    return texts, by_name


def scrub_texts(texts: pd.Series, names: dict[str, str]) -> pd.Series:
    """Pass 2: every name of ``names`` replaced (:func:`replace_names`), then contact details masked.

    Names first, masking second: "@Rusty Lemur 9" must become "@Member 3f9a2c" as a whole
    (masking first would leave "@[member] Lemur 9"); masking keeps "@<pseudonym>".

    The texts are joined once and both passes run over that one string
    (:func:`scrub_joined`), which gives the texts :func:`replace_names` and
    :func:`~communitylab.data.pseudonymise.mask_series` would, one after the other.
    """
    present = texts.notna().to_numpy()
    kept = texts[present].tolist()
    joined = _SEP.join(kept)
    if not kept or joined.count(_SEP) != len(kept) - 1:  # nothing to do, or a text holds the separator
        return mask_series(replace_names(texts, names))
    scrubbed = scrub_joined(joined, names)
    if scrubbed == joined:
        return texts.astype("string")
    del joined
    # a copy: without one, a column of pandas' python-backed strings hands over its own array and the
    # caller's texts would be scrubbed in place
    values = texts.to_numpy(dtype=object, na_value=None, copy=True)
    values[present] = np.array(scrubbed.split(_SEP), dtype=object)
    return pd.Series(values, index=texts.index, dtype="string")


def scrub_joined(joined: str, names: dict[str, str]) -> str:
    """:func:`scrub_texts` on texts joined by NUL (none of which holds a NUL itself).

    Neither pass ever matches across a NUL (no pattern admits it, and names holding one are
    left out), so this equals scrubbing each text on its own and joining the results; the
    regex engine scans one long string instead of a million short ones.
    """
    table = {spelling: value for spelling, value in _name_table(names).items() if _SEP not in spelling}
    if table:
        joined = _name_substitution(table)(joined)
    return mask_joined(joined)


def resolver(
    pseudonymiser: Pseudonymiser,
    source: str,
    known: dict[str, str],
    keyed_by_name: bool,
    id_pattern: str | None,
) -> Callable[[str], str]:
    """A function from a raw name (or id) in a text to its replacement.

    Parameters
    ----------
    known : dict
        Raw author names and ids of the table -> their readable pseudonym.
    keyed_by_name : bool
        The source keys authors by display name (WhatsApp): any name is a key.
    id_pattern : str, optional
        Regex of the source's raw author ids (e.g. ``wxid_...``): such a token is a key.
    """
    id_re = re.compile(id_pattern) if id_pattern else None

    def resolve(raw: str) -> str:
        name = raw.strip().strip('"“”「」').strip()
        if not name or name in _NOT_NAMES:
            return raw
        if name in known:
            return known[name]
        if keyed_by_name or (id_re is not None and id_re.fullmatch(name)):
            return pseudonymiser.name(source, name)
        return MASK

    return resolve


def _replace_group(text: str, match: re.Match[str], group: str, new: str) -> str:
    start, end = match.span(group)
    return text[:start] + new + text[end:]


# A quoted new group name ("修改群名为"X"", 'changed the group name to "X"') is not a member.
_GROUP_NAME_BEFORE = re.compile(r"(?:群名为|群名称为|群名|名称为|name to|named|group name)\s*$")


def _quoted(swap: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        if _GROUP_NAME_BEFORE.search(m.string, 0, m.start()):
            return m.group(0)
        return '"' + swap(next(g for g in m.groups() if g is not None)) + '"'

    return sub


def scrub_event(text: str, source: str, resolve: Callable[[str], str], found: set[str]) -> str:
    """Replace the names in one event text; names identified are added to ``found``."""

    def swap(raw: str) -> str:
        if raw.strip().strip('"“”「」').strip() in _NOT_NAMES:
            return raw
        new = resolve(raw)
        if new != raw:
            found.add(raw.strip().strip('"“”「」').strip())
        return new

    if source == "slack":
        text = _SLACK_USER.sub(lambda m: swap(m.group(1)), text)
    if source == "discord":
        m = _DISCORD.match(text)
        if m:
            group = "a" if m.group("a") else "r"
            text = _replace_group(text, m, group, swap(m.group(group)))
    # Quoted names first (WeChat); then the unquoted forms.
    if source == "wechat":
        text = _QUOTED.sub(_quoted(swap), text)
    if source in ("wechat", "whatsapp", "telegram"):
        m = _OBJECT_NAMES.search(text)
        if m:
            parts = _LIST_SPLIT.split(m.group("names"))
            seps = _LIST_SPLIT.findall(m.group("names"))
            rebuilt = swap(parts[0]) + "".join(sep + swap(part) for sep, part in zip(seps, parts[1:], strict=False))
            text = _replace_group(text, m, "names", rebuilt)
        m = _LEAD_NAME.match(text)
        if m and not m.group("name").startswith(("[", "Member ", "成员 ")) and m.group("name") != MASK:
            text = _replace_group(text, m, "name", swap(m.group("name")))
        m = _ZH_OBJECT.search(text)
        if m:
            group = "names" if m.group("names") else "names2"
            parts = _LIST_SPLIT.split(m.group(group))
            seps = _LIST_SPLIT.findall(m.group(group))
            rebuilt = swap(parts[0]) + "".join(sep + swap(part) for sep, part in zip(seps, parts[1:], strict=False))
            text = _replace_group(text, m, group, rebuilt)
        m = _ZH_LEAD.match(text)
        if m and m.group("name") not in _NOT_NAMES:
            text = _replace_group(text, m, "name", swap(m.group("name")))
    return text


def known_names(raw_names: pd.Series, raw_keys: pd.Series, pseudo_names: pd.Series) -> dict[str, str]:
    """Raw author names and keys -> readable pseudonym (first occurrence wins; one pass each)."""
    out: dict[str, str] = {}
    pseudo = pseudo_names.to_numpy(dtype=object, na_value=None)
    for column in (raw_keys, raw_names):
        codes, uniques = pd.factorize(column)
        if not len(uniques):
            continue
        valid = codes >= 0
        first = np.full(len(uniques), -1, dtype=np.int64)
        positions = np.flatnonzero(valid)
        # Assign in reverse so the earliest position of each code is the one left.
        first[codes[positions][::-1]] = positions[::-1]
        for raw, at in zip(uniques.tolist(), first.tolist(), strict=True):
            if at >= 0 and pseudo[at] is not None and str(raw) not in out:
                out[str(raw)] = pseudo[at]
    return out


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, built as a trie (fast to search)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
_ADDRESS_BEFORE = re.compile(r"[A-Za-z0-9_.%+\-/]")
_DOMAIN_AFTER = re.compile(r"@|\.[A-Za-z0-9]")


def _standalone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a whole word and not part of an e-mail address or a URL."""
    if start and _ADDRESS_BEFORE.match(text, start - 1):
        return False
    return not (_ASCII_WORD.match(text, end) or _DOMAIN_AFTER.match(text, end))


def _variants(name: str) -> set[str]:
    """Spellings of a Latin name searched for: as written, Capitalised, Title Case (and so
    lower case when the name itself is written in lower case: a handle such as "ben")."""
    out = {name, name[:1].upper() + name[1:], name.title()}
    if name == name.lower():
        out.add(name)
    return out


def _name_table(names: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """Spelling searched for -> (replacement, whether it needs word boundaries)."""
    table: dict[str, tuple[str, bool]] = {}
    for raw, new in names.items():
        raw = raw.strip()
        if raw.isascii():
            if len(raw) >= MIN_LATIN and not raw.isdigit():
                for spelling in _variants(raw):
                    table.setdefault(spelling, (new, True))
        elif len(raw) >= MIN_OTHER:
            table.setdefault(raw, (new, False))
    return table


def replace_names(texts: pd.Series, names: dict[str, str]) -> pd.Series:
    """Replace every name of ``names`` (raw -> replacement) wherever it stands in ``texts``.

    Latin names (ASCII letters) match as whole words (not inside an e-mail address or a
    URL) in the spellings of :func:`_variants`; other names match anywhere. The column is
    joined into one string and searched with one trie-shaped pattern (case-sensitive: the
    regex engine skips quickly to the few capital letters a name can start with, while
    ``re.IGNORECASE`` would be about 30x slower); only rows with a hit are rebuilt.
    """
    table = _name_table(names)
    present = texts.notna().to_numpy()
    if not table or not present.any():
        return texts
    kept = texts[present].tolist()
    joined = _SEP.join(kept)
    if joined.count(_SEP) != len(kept) - 1:  # a text holds the separator: go row by row
        return _replace_rows(texts, present, kept, table)
    pattern = re.compile(_trie_pattern(sorted(table)))
    spans = []
    for match in pattern.finditer(joined):
        new = _replacement(table, match)
        if new is not None:
            spans.append((*match.span(), new))
    del joined
    if not spans:
        return texts
    lengths = np.fromiter(map(len, kept), dtype=np.int64, count=len(kept))
    ends = np.cumsum(lengths + 1)
    starts = (ends - lengths - 1).tolist()
    rows = np.searchsorted(
        ends, np.fromiter((s for s, _, _ in spans), dtype=np.int64, count=len(spans)), side="right"
    ).tolist()
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for row, (s, e, new) in zip(rows, spans, strict=True):
        offset = starts[row]
        edits.setdefault(row, []).append((s - offset, e - offset, new))
    for row, spans_of_row in edits.items():
        text, pieces, done = kept[row], [], 0
        for s, e, new in spans_of_row:
            pieces += [text[done:s], new]
            done = e
        pieces.append(text[done:])
        kept[row] = "".join(pieces)
    # Only the changed rows are written back (assigning a whole column re-checks every string).
    order = sorted(edits)
    changed = np.flatnonzero(present)[order]
    values = texts.to_numpy(dtype=object, na_value=None, copy=True)  # a copy, as in scrub_texts
    values[changed] = [kept[row] for row in order]
    return pd.Series(values, index=texts.index, dtype="string")


def _replacement(table: dict[str, tuple[str, bool]], match: re.Match[str]) -> str | None:
    """What a name found by the trie pattern becomes, or ``None`` where a Latin name stands inside a longer word."""
    new, bounded = table[match.group(0)]
    if bounded and not _standalone(match.string, match.start(), match.end()):
        return None
    return new


def _name_substitution(table: dict[str, tuple[str, bool]]) -> Callable[[str], str]:
    """A function from a text to the text with every name of ``table`` replaced (the pattern is compiled once)."""
    pattern = re.compile(_trie_pattern(sorted(table)))

    def swap(match: re.Match[str]) -> str:
        new = _replacement(table, match)
        return match.group(0) if new is None else new

    return lambda text: pattern.sub(swap, text)


def _replace_rows(texts: pd.Series, present: np.ndarray, kept: list[str], table: dict[str, tuple[str, bool]]):
    substitute = _name_substitution(table)
    out = texts.copy()
    out[present] = [substitute(t) for t in kept]
    return out
