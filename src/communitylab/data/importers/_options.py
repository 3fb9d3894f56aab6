"""What every importer receives and the one error it raises.

:class:`Options` carries the caller's settings from
:func:`~communitylab.data.importers.read_chat` to the source's ``read``;
:class:`ChatImportError` is a whole export that cannot be imported, in words for a learner
(single bad records are not errors: they are dropped and listed in the import report).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default limit on the size of one export (bytes): 2 GiB. Override with ``max_bytes``.
DEFAULT_MAX_BYTES: int = 2 * 1024**3


class ChatImportError(ValueError):
    """A chat export that cannot be imported at all, with a message meant for a learner.

    Raised for unknown formats, unreadable encodings, empty, truncated or oversized files.
    Single bad records are not errors: they are dropped and listed in the import report.
    """


class ExportTooLarge(ChatImportError):
    """An export (or what a zip archive unpacks to) larger than the caller's limit.

    Attributes
    ----------
    name : str
        File name shown to the learner.
    size, limit : int
        Bytes found (at least) and bytes allowed.
    unpacked : bool
        ``size`` is what an archive unpacks to, not the file itself.
    """

    def __init__(self, message: str, *, name: str, size: int, limit: int, unpacked: bool = False):
        super().__init__(message)
        self.name, self.size, self.limit, self.unpacked = name, size, limit, unpacked


@dataclass
class Options:
    """Settings every importer receives from :func:`~communitylab.data.importers.read_chat`."""

    tz: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    pseudonymise: bool = True
    secret: bytes | str | None = None
    language: str = "en"
    keep_own: frozenset[str] = field(default_factory=frozenset)
    project: str = "default"

    def zone(self, default: str) -> str:
        """The time zone to use: the caller's, else the source's documented default."""
        return self.tz or default
