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
source        category                     wechat, telegram, discord, whatsapp, slack, synthetic
is_bot        bool                         sender is a bot or integration
============  ===========================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Message kinds. ``system``, ``join`` and ``leave`` are service events, not member messages.
KINDS: tuple[str, ...] = ("text", "media", "sticker", "system", "join", "leave")
#: Kinds that count as events rather than messages.
EVENT_KINDS: frozenset[str] = frozenset({"system", "join", "leave"})
SOURCES: tuple[str, ...] = ("wechat", "telegram", "discord", "whatsapp", "slack", "synthetic")
COLUMNS: tuple[str, ...] = (
    "message_id", "timestamp", "author_id", "author_name", "text", "kind", "reply_to", "thread", "source", "is_bot",
)


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
    """Counts and problems of one import. ``read == kept + dropped`` always holds."""

    format: str
    read: int = 0
    kept: int = 0
    dropped: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)

    def drop(self, file: str, location: str, reason: str) -> None:
        """Record one dropped record (counts it as read and dropped)."""
        self.read += 1
        self.dropped += 1
        self.problems.append(Problem(file, location, reason))

    def keep(self, count: int = 1) -> None:
        """Record kept records."""
        self.read += count
        self.kept += count

    @property
    def balanced(self) -> bool:
        """Whether every read record was either kept or dropped."""
        return self.read == self.kept + self.dropped
