"""The one ``Messages`` table every importer produces, and the import report.

Columns (pandas dtypes):

============  ===========================  =============================================
column        dtype                        meaning
============  ===========================  =============================================
message_id    string                       id within the source (pseudonymised if it leaks identity); may be <NA>
timestamp     datetime64[ns, tz]           when it was sent, time-zone aware
author_id     string                       stable pseudonym of the sender (raw id only on opt-out)
author_name   string                       pseudonymous display name (raw name only on opt-out)
text          string                       message text with phone numbers, e-mails and @mentions masked
kind          category (:data:`KINDS`)     text, media, sticker, system, join, leave
reply_to      string                       message_id this one replies to, or <NA>
thread        string                       thread / topic id, or <NA>
chat          string                       conversation the message belongs to (Slack channel, Discord
                                           channel id, Telegram chat id, WeChat room id), or <NA>
source        category                     wechat, telegram, discord, whatsapp, slack, synthetic
is_bot        bool                         sender is a bot or integration
============  ===========================  =============================================

Importer guarantees (see :func:`communitylab.data.importers.read_chat`):

* ``len(messages) == report.kept`` and ``report.read == report.kept + report.dropped``.
* A repeated ``message_id`` (same chat) is kept once; the repeats are counted in
  ``report.dropped`` *and* in ``report.duplicates``.
* Rows are sorted by ``timestamp`` (stable, so ties keep file order); every timestamp lies in
  1990-2099 (other dates are dropped as damaged) and is in nanoseconds.
* Each dropped record has a :class:`Problem`; ``report.notes`` holds assumptions such as the
  date order chosen for an ambiguous WhatsApp file.
* ``message_id`` and ``reply_to`` are prefixed with ``"<chat>:"`` only where ids repeat
  across chats (Telegram full-account exports), so ``reply_to`` always matches a
  ``message_id`` of the same table when the replied-to message was exported. A WeChat
  quoted reply whose quoted message is not in the export names it by its time
  (``"quoted@2024-03-01T10:00:00+08:00"``), never by an id.
* ``author_id`` is a keyed pseudonym such as ``"m3f9a2c41d0e7"`` and ``author_name`` a
  readable one such as ``"Member 3f9a2c"`` (``"成员 3f9a2c"``) unless the caller opts out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Message kinds. ``system``, ``join`` and ``leave`` are service events, not member messages.
KINDS: tuple[str, ...] = ("text", "media", "sticker", "system", "join", "leave")
#: Kinds that count as events rather than messages.
EVENT_KINDS: frozenset[str] = frozenset({"system", "join", "leave"})
SOURCES: tuple[str, ...] = ("wechat", "telegram", "discord", "whatsapp", "slack", "synthetic")
COLUMNS: tuple[str, ...] = (
    "message_id",
    "timestamp",
    "author_id",
    "author_name",
    "text",
    "kind",
    "reply_to",
    "thread",
    "chat",
    "source",
    "is_bot",
)
#: How many problems an :class:`ImportReport` lists one by one; the rest are only counted.
MAX_LISTED_PROBLEMS: int = 1000


@dataclass(frozen=True)
class Problem:
    """One input record that could not be used.

    Attributes
    ----------
    file : str
        File (or member of a zip/folder export) the record came from.
    location : str
        ``"line 17"`` or ``"record 3"`` (1-based).
    reason : str
        Why it was dropped, in words a learner understands.
    """

    file: str
    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, {self.location}: {self.reason}"


@dataclass
class ImportReport:
    """Counts and problems of one import. ``read == kept + dropped`` always holds.

    Attributes
    ----------
    format : str
        Source format (``"wechat"``, ``"telegram"`` ...).
    read, kept, dropped : int
        Records read from the files, kept in the table, and dropped (with a reason).
    duplicates : int
        Of ``dropped``, how many repeated an earlier message id.
    problems : list of Problem
        The first :data:`MAX_LISTED_PROBLEMS` dropped records with file, place and reason.
    problems_not_listed : int
        Dropped records beyond that limit (counted, not listed).
    notes : list of str
        Assumptions the importer made that a learner should know (e.g. the date order).
    """

    format: str
    read: int = 0
    kept: int = 0
    dropped: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    problems_not_listed: int = 0
    notes: list[str] = field(default_factory=list)

    def drop(self, file: str, location: str, reason: str) -> None:
        """Record one dropped record (counts it as read and dropped)."""
        self.read += 1
        self.dropped += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(file, location, reason))
        else:
            self.problems_not_listed += 1

    def keep(self, count: int = 1) -> None:
        """Record kept records."""
        self.read += count
        self.kept += count

    @property
    def balanced(self) -> bool:
        """Whether every read record was either kept or dropped."""
        return self.read == self.kept + self.dropped
