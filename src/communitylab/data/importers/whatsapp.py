"""WhatsApp "Export chat" text files (``_chat.txt`` / ``WhatsApp Chat with ....txt``).

Each message starts a line with its date and time, in one of two layouts:

* iOS: ``[01/02/2023, 14:05:09] Name: text``
* Android: ``01/02/2023, 14:05 - Name: text``

The date follows the phone's locale: day/month/year, month/day/year or year-month-day,
separated by ``/``, ``.`` or ``-``, with 2- or 4-digit years; times are 24-hour or 12-hour
(``2:05 PM``, ``2:05 p. m.``), with or without seconds. Lines that do not start with a date
continue the message above (multi-line messages). Lines without ``Name:`` are system
lines (encryption notice, "X added Y", "X left"). iOS puts an invisible U+200E mark before
some lines and before "image omitted"; it is removed.

**Date order.** The whole file is scanned first: if any first number is above 12, dates
are day-first; else if any second number is above 12, month-first; else the file is
ambiguous and :data:`DEFAULT_DAY_FIRST` decides (day-first, the order of most locales
world-wide), and the import report says so in ``notes``.

Time zone: WhatsApp writes the phone's local time without offset; it is read in ``tz``
(default :data:`DEFAULT_TZ`). The export has no message ids, replies or bots.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._files import check_size, display_name, open_text
from ._finish import finish, raw_frame
from ._options import Options
from ._times import localize

DEFAULT_TZ = "UTC"
#: Date order assumed when no day in the file is above 12.
DEFAULT_DAY_FIRST = True

_HEADER = re.compile(
    r"^[\u200e\u200f\ufeff]*\[?(?P<a>\d{1,4})[./\-](?P<b>\d{1,2})[./\-](?P<c>\d{2,4}),?\s+"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    r"(?:\s*(?P<ampm>[aApP])\.?\s?[mM]\.?)?\]?(?:\s[-\u2013]\s|\s)[\u200e\u200f]*(?P<rest>.*)$"
)
# "Name: text". Names have no ":" in practice; a phone number "+49 170 ..." is a name too.
_AUTHOR = re.compile(r"^(?P<name>[^:\n]{1,80}?):[ \u00a0]?(?P<text>.*)$", re.DOTALL)
_MEDIA = re.compile(
    r"^\s*(?:<Media omitted>|<Médias omis>|<Medien ausgeschlossen>|<Multimedia omitido>|<媒体已省略>|<附件：.*>"
    r"|(?:image|video|audio|GIF|document) omitted|<attached: .*>|.*\(file attached\))\s*$"
)
_STICKER = re.compile(r"^\s*sticker omitted\s*$")
#: The end-to-end encryption notice WhatsApp puts at the top (several locales).
_ENCRYPTION = re.compile(
    r"^\u200e?\s*(?:Messages and calls are end-to-end encrypted|Messages to this (?:group|chat) are now secured"
    r"|消息和通话已进行端到端加密|Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt"
    r"|Los mensajes y las llamadas están cifrados de extremo a extremo"
    r"|Les messages et les appels sont chiffrés de bout en bout)"
)
#: iOS service lines after "Group name: \u200e" (media lines also start with U+200E and are not events).
_IOS_EVENT = re.compile(
    r"^\u200e(?!.*\b(?:omitted|attached)\b).*\b(?:created|added|removed|left|joined|changed|deleted|"
    r"was deleted|turned|pinned|now an admin|no longer an admin)\b"
)
_JOIN = re.compile(r"\b(?:joined|added|were added|was added)\b|加入|邀请")
_LEAVE = re.compile(r"\b(?:left|removed|was removed)\b|退出|移出")


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a WhatsApp "Export chat" ``.txt`` file."""
    path = Path(path)
    check_size(path, options.max_bytes)
    report = ImportReport(format="whatsapp")
    name = display_name(path)
    fields: dict[str, list] = {k: [] for k in ("a", "b", "c", "H", "M", "S", "ampm", "rest", "line", "raw")}
    continuation: dict[int, list[str]] = {}
    match_header = _HEADER.match
    handle, _ = open_text(path)
    with handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            found = match_header(line)
            if found is None:
                if fields["line"]:
                    continuation.setdefault(len(fields["line"]) - 1, []).append(line.replace("\u200e", ""))
                elif line.strip():
                    report.drop(name, f"line {number}", "does not start with a date and follows no message")
                continue
            for key in ("a", "b", "c", "H", "M", "S", "ampm", "rest"):
                fields[key].append(found.group(key))
            fields["line"].append(number)
            fields["raw"].append(line[: found.start("rest")].strip().rstrip("-\u2013").strip())
    for index, extra in continuation.items():
        fields["rest"][index] = "\n".join([fields["rest"][index], *extra])
    times = _times(fields, report, options.zone(DEFAULT_TZ))
    authors: list[str | None] = []
    texts: list[str | None] = []
    kinds: list[str] = []
    for rest in fields["rest"]:
        # The U+200E iOS puts before a text is kept until the event check below: it flags events.
        said = _AUTHOR.match(rest)
        if said is None:
            rest = rest.replace("\u200e", "")
        if said is None:
            authors.append(None)
            texts.append(rest.strip() or None)
            kinds.append("join" if _JOIN.search(rest) else "leave" if _LEAVE.search(rest) else "system")
            continue
        text = said.group("text")
        if _ENCRYPTION.match(text) or (text.startswith("\u200e") and _IOS_EVENT.match(text)):
            # iOS writes service lines as "Group name: \u200eAlice added Bob": the "author" is
            # the group, so these are events without an author.
            body = text.replace("\u200e", "").strip()
            authors.append(None)
            texts.append(body or None)
            kinds.append(
                "system"
                if _ENCRYPTION.match(body)
                else "join"
                if _JOIN.search(body)
                else "leave"
                if _LEAVE.search(body)
                else "system"
            )
            continue
        text = text.replace("\u200e", "")
        authors.append(said.group("name").replace("\u200e", "").strip())
        if _STICKER.match(text):
            kinds.append("sticker")
            texts.append(None)
        elif _MEDIA.match(text):
            kinds.append("media")
            texts.append(None)
        else:
            kinds.append("text")
            texts.append(text if text.strip() else None)
    frame = raw_frame(
        fields["line"],
        timestamp=times,
        raw_time=fields["raw"],
        author_key=authors,
        author_name=authors,
        text=texts,
        kind=kinds,
    )
    return finish([frame], report, [name], "line", "whatsapp", options), report


def _times(fields: dict[str, list], report: ImportReport, zone: str) -> pd.Series:
    """All header times at once, after deciding the date order from the whole file."""
    if not fields["line"]:
        return pd.Series([], dtype=f"datetime64[ns, {zone}]")
    a = np.asarray(fields["a"], dtype=object)
    year_first = np.array([len(x) == 4 for x in a])
    a = a.astype(np.int64)
    b = np.asarray(fields["b"], dtype=np.int64)
    c = np.asarray(fields["c"], dtype=np.int64)
    rest = ~year_first
    if rest.any() and (a[rest] > 12).any():
        day_first = True
    elif rest.any() and (b[rest] > 12).any():
        day_first = False
    else:
        day_first = DEFAULT_DAY_FIRST
        if rest.any():
            report.notes.append(
                "No day in the file is above 12, so the date order is ambiguous; read as day/month/year. "
                "If the chat is from a month-first locale (e.g. the US), dates are swapped."
            )
    day = np.where(year_first, c, a if day_first else b)
    month = np.where(year_first, b, b if day_first else a)
    year = np.where(year_first, a, c)
    year = np.where(year < 100, year + 2000, year)
    hour = np.asarray(fields["H"], dtype=np.int64)
    ampm = np.array([(x or "").lower() for x in fields["ampm"]])
    hour = np.where((ampm == "p") & (hour < 12), hour + 12, hour)
    hour = np.where((ampm == "a") & (hour == 12), 0, hour)
    second = np.array([int(x) if x else 0 for x in fields["S"]], dtype=np.int64)
    naive = pd.to_datetime(
        pd.DataFrame(
            {
                "year": year,
                "month": month,
                "day": day,
                "hour": hour,
                "minute": np.asarray(fields["M"], dtype=np.int64),
                "second": second,
            }
        ),
        errors="coerce",
    )
    return localize(naive, zone)
