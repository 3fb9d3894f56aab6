"""Opening an export file safely: size limits, encoding sniffing, binary files refused.

A single damaged byte in a large export should cost one garbled character, not the whole
import, so text is decoded with undecodable bytes replaced after the encoding has been
judged on the first :data:`SNIFF_BYTES`.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import IO

from ._options import ChatImportError, ExportTooLarge

#: Bytes looked at to guess the encoding and the format.
SNIFF_BYTES: int = 256 * 1024


def display_name(path: Path | str) -> str:
    """File name shown in problems (the base name: a full path may reveal a user name)."""
    return Path(path).name or str(path)


def check_size(path: Path, max_bytes: int) -> int:
    """Raise :class:`ChatImportError` if ``path`` is missing, empty or larger than ``max_bytes``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ChatImportError(f"Cannot open {display_name(path)}: {exc.strerror or exc}.") from None
    if size == 0:
        raise ChatImportError(f"{display_name(path)} is empty: there are no messages to import.")
    check_total(size, max_bytes, display_name(path))
    return size


def check_total(size: int, max_bytes: int, name: str, *, unpacked: bool = False) -> None:
    """Raise :class:`ExportTooLarge` if ``size`` bytes exceed ``max_bytes``.

    ``unpacked``: ``size`` is what an archive unpacks to (said so in the message).
    """
    if size > max_bytes:
        what = f"{name} unpacks to at least" if unpacked else f"{name} is"
        raise ExportTooLarge(
            f"{what} {_human(size)}, more than the limit of {_human(max_bytes)}. "
            "Export a shorter date range, or raise the limit with max_bytes=... if this machine has the memory.",
            name=name,
            size=size,
            limit=max_bytes,
            unpacked=unpacked,
        )


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover


def sniff_encoding(head: bytes, name: str, *, allow_gb18030: bool = True) -> str:
    """Guess the text encoding from the first bytes of a file.

    UTF-8 (with or without byte-order mark) is tried first; GB18030 (a superset of GBK and
    GB2312, what Excel on a Chinese Windows saves) second.

    Raises
    ------
    ChatImportError
        If neither decodes the sample.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    candidates = ("utf-8", "gb18030") if allow_gb18030 else ("utf-8",)
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            # final=False: the sample may end in the middle of a multi-byte character.
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ChatImportError(
        f"{name} is not text in a known encoding (tried UTF-8"
        + (" and GB18030" if allow_gb18030 else "")
        + "). Re-export the chat, or save the file as UTF-8."
    )


def open_text(path: Path, *, allow_gb18030: bool = True) -> tuple[IO[str], str]:
    """Open ``path`` as text with a sniffed encoding; undecodable bytes become U+FFFD.

    Decoding errors after the sniffed sample are replaced, not raised (see the module docstring).
    """
    encoding = text_encoding(path, allow_gb18030=allow_gb18030)
    return path.open("r", encoding=encoding, errors="replace", newline=""), encoding


def text_encoding(path: Path, *, allow_gb18030: bool = True) -> str:
    """The encoding of a text export, judged on its first :data:`SNIFF_BYTES`.

    Raises
    ------
    ChatImportError
        If the file looks binary (NUL bytes at the start) or is in no known encoding.
    """
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    if head.startswith(b"\x00") or b"\x00\x00\x00" in head[:4096]:
        raise ChatImportError(f"{display_name(path)} looks like a binary file, not a chat export.")
    return sniff_encoding(head, display_name(path), allow_gb18030=allow_gb18030)


def read_head_text(path: Path, size: int = SNIFF_BYTES) -> str:
    """The first ``size`` bytes of a file decoded leniently (for format detection)."""
    with path.open("rb") as raw:
        head = raw.read(size)
    try:
        encoding = sniff_encoding(head, display_name(path))
    except ChatImportError:
        encoding = "utf-8"
    return head.decode(encoding, errors="replace").lstrip("\ufeff")
