"""Reading the members of a zip export within a limit on what it unpacks to.

A zip of a few hundred kilobytes can unpack to gigabytes. :class:`ZipExport` refuses an
archive whose members declare more than the limit before reading any of them, and counts
the bytes it actually unpacks against the same limit while reading, should a header
understate a member (Python's :mod:`zipfile` also stops at the declared size and then
reports the member as damaged). Members are read a megabyte at a time, so a refused
archive costs at most one megabyte beyond the limit.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from ._files import check_total, display_name
from ._options import ChatImportError

#: Bytes unpacked at a time.
READ_BYTES = 2**20
#: What a member that cannot be read raises inside zipfile and zlib.
MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError)


class DamagedMember(ValueError):
    """One member of the archive cannot be unpacked; the message says why, for a learner."""


class ZipExport:
    """The members of a zip archive whose names end in ``suffix``, unpacked within ``max_bytes``.

    Raises
    ------
    ChatImportError
        If the archive cannot be opened (damaged), or :class:`~._options.ExportTooLarge` if
        its members declare more than ``max_bytes`` together.
    """

    def __init__(self, path: Path, max_bytes: int, suffix: str = ".json"):
        self.name = display_name(path)
        self.max_bytes = max_bytes
        self.unpacked = 0
        try:
            self._archive = zipfile.ZipFile(path)
            self.members = sorted(
                (i for i in self._archive.infolist() if not i.is_dir() and i.filename.endswith(suffix)),
                key=lambda info: info.filename,
            )
        except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError):
            raise ChatImportError(f"{self.name} is a damaged zip archive. Download the export again.") from None
        check_total(sum(i.file_size for i in self.members), max_bytes, self.name, unpacked=True)

    def read(self, member: zipfile.ZipInfo) -> bytes:
        """The unpacked bytes of ``member``.

        Raises
        ------
        ExportTooLarge
            Once the bytes unpacked so far, from all members, pass ``max_bytes``.
        DamagedMember
            If the member cannot be unpacked (the caller decides whether that costs the member
            or the import).
        """
        parts = []
        try:
            with self._archive.open(member) as stream:
                while chunk := stream.read(READ_BYTES):
                    self.unpacked += len(chunk)
                    check_total(self.unpacked, self.max_bytes, self.name, unpacked=True)
                    parts.append(chunk)
        except ChatImportError:
            raise
        except RuntimeError:  # zipfile's word for a member that needs a password
            raise DamagedMember("it is encrypted inside the zip") from None
        except MEMBER_ERRORS:
            raise DamagedMember("it is damaged inside the zip") from None
        return b"".join(parts)

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> ZipExport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
