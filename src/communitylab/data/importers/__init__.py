"""Chat-export importers: one module per source, all producing the one ``Messages`` table.

>>> from communitylab.data.importers import read_chat          # doctest: +SKIP
>>> messages, report = read_chat("result.json")                 # doctest: +SKIP
>>> report.read == report.kept + report.dropped                 # doctest: +SKIP
True

Sources and what :func:`detect_format` looks for:

=========  ==============================================================  =================
format     export                                                          default time zone
=========  ==============================================================  =================
wechat     CSV from WeChatMsg/留痕 (``localId, ..., StrContent, StrTime``)  Asia/Shanghai
           or PyWxDump (``id, MsgSvrID, type_name, ..., CreateTime``)
telegram   Telegram Desktop ``result.json`` (one chat or whole account)     UTC
discord    DiscordChatExporter CSV (``AuthorID, Author, Date, ...``) / JSON UTC
whatsapp   "Export chat" ``.txt`` (iOS ``[date, time] Name: text`` or       UTC
           Android ``date, time - Name: text``)
slack      workspace export folder or ``.zip`` (``channels.json``,        UTC
           ``users.json``, ``<channel>/YYYY-MM-DD.json``)
=========  ==============================================================  =================

Times with an offset or in Unix seconds are exact and only *shown* in the zone; local
times without offset are *read* in it. Pass ``tz="Europe/Berlin"`` (any IANA name) to
change both.

Bad input: a record that cannot be used (no date, unreadable date, not a message, wrong
number of CSV fields, repeated id) is dropped and listed in ``report.problems`` with file,
line or record number and reason; the rest is kept and ``report.read == report.kept +
report.dropped``. A file that cannot be imported at all (unknown format, unknown encoding,
empty, cut off, broken JSON, over ``max_bytes``) raises :class:`ChatImportError`, a
``ValueError`` whose message is written for a learner.

Memory: exports are read in one pass; no list of a whole export's message dicts is ever
built. CSV comes in pandas chunks of 250,000 rows; JSON is decoded one window of about 4 MB
at a time (see :mod:`._jsonstream`), and each window's dicts become column arrays at once.
The message strings are shared between the raw columns and the final table. Measured peak
resident memory for 1,000,000 messages (the finished table itself is about 0.48 GB):
0.66 GB for a 365 MB Telegram ``result.json`` (plus up to 0.27 GB in each of its two worker
processes, see below), 0.73 GB for a 112 MB WeChatMsg CSV (``benchmarks/results.json``, ``import``).

Speed: a Telegram export larger than 32 MB is cut into byte windows of whole messages that
two worker processes decode and translate, each reading its own windows from the file;
the name and contact scrubbing is then split between this process and a worker. The table
and the report are exactly those of a single-process import, which is used for smaller
files and whenever a file's layout does not allow the cut (the careful reader then
describes any problem). 1,000,000 messages take about 5.4 s on the 2-core workshop laptop
(a WeChatMsg CSV of as many, read in one process, 4.7 s).

Privacy: by default authors become keyed pseudonyms and phone numbers, e-mail addresses
and @mentions in the text are masked (see :mod:`communitylab.data.pseudonymise`). Nothing is
written to disk except, on first use, the per-project secret of the pseudonyms.
"""

from __future__ import annotations

import gc
import importlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from communitylab.data.schema import ImportReport

from ._files import display_name, read_head_text
from ._options import DEFAULT_MAX_BYTES, ChatImportError, ExportTooLarge, Options
from ._times import validate_zone

__all__ = ["FORMATS", "ChatImportError", "DEFAULT_MAX_BYTES", "ExportTooLarge", "detect_format", "read_chat"]

#: Formats :func:`read_chat` accepts (besides ``"auto"``).
FORMATS: tuple[str, ...] = ("wechat", "telegram", "discord", "whatsapp", "slack")

_WHATSAPP_LINE = re.compile(
    r"^\u200e?\[?\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4},?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"(?:\s*[aApP]\.?\s?[mM]\.?)?\]?(?:\s[-\u2013]\s|\s)",
    re.MULTILINE,
)


def detect_format(path: str | Path) -> str:
    """Tell which exporter wrote ``path``.

    Parameters
    ----------
    path : str or Path
        A file, a folder (Slack export, or a folder holding ``result.json``) or a ``.zip``.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    ChatImportError
        If the path is missing, empty, or not one of the supported exports.
    """
    path = Path(path)
    name = display_name(path)
    if not path.exists():
        raise ChatImportError(f"{name} does not exist. Check the file name and folder.")
    if path.is_dir():
        if (path / "channels.json").exists() or (path / "users.json").exists():
            return "slack"
        if (path / "result.json").exists():
            return "telegram"
        raise ChatImportError(
            f"The folder {name} is not a chat export: a Slack export has channels.json and users.json, "
            "a Telegram export has result.json."
        )
    if path.stat().st_size == 0:
        raise ChatImportError(f"{name} is empty: there are no messages to import.")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                members = [Path(m).name for m in archive.namelist()]
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            raise ChatImportError(f"{name} is a damaged zip archive. Download the export again.") from None
        if "channels.json" in members or "users.json" in members:
            return "slack"
        raise ChatImportError(f"{name} is a zip archive but not a Slack workspace export (no channels.json inside).")
    head = read_head_text(path)
    if "\x00" in head[:4096]:
        raise ChatImportError(f"{name} looks like a binary file, not a chat export.")
    stripped = head.lstrip()
    if not stripped:
        raise ChatImportError(f"{name} contains only blank space: there are no messages to import.")
    # iOS WhatsApp starts "[01/02/2023, 14:05:09] Name: text" (often after U+200E): a "[" is
    # not always JSON, so the WhatsApp date header is checked before the JSON guess.
    if _WHATSAPP_LINE.match(stripped.lstrip("\u200e\u200f\ufeff")):
        return "whatsapp"
    if stripped[0] in "[{":
        return _detect_json(stripped, name)
    first_line = stripped.splitlines()[0] if stripped else ""
    header = {cell.strip().strip('"').strip() for cell in first_line.split(",")}
    if {"StrContent", "StrTime"} <= header or {"localId", "CreateTime", "StrContent"} <= header:
        return "wechat"
    if {"MsgSvrID", "CreateTime"} <= header or {"type_name", "talker", "CreateTime"} <= header:
        return "wechat"
    if {"AuthorID", "Author", "Date", "Content"} <= header:
        return "discord"
    if len(_WHATSAPP_LINE.findall(head[:65536])) >= 1:
        return "whatsapp"
    raise ChatImportError(
        f"Could not recognise {name}. Supported exports: WeChat CSV (WeChatMsg/留痕 or PyWxDump), Telegram "
        "Desktop result.json, DiscordChatExporter CSV or JSON, WhatsApp 'Export chat' .txt, Slack workspace "
        "export (folder or .zip). Pass format=... if you know which it is."
    )


def _detect_json(head: str, name: str) -> str:
    if head[0] == "[":
        # A single Slack day file is a list of {"type": "message", "ts": ...}.
        if '"ts"' in head and '"type"' in head:
            return "slack"
        raise ChatImportError(f"{name} is a JSON list, but not of Slack messages; cannot tell its format.")
    if '"guild"' in head or '"isBot"' in head or ('"channel"' in head and '"author"' in head):
        return "discord"
    if any(marker in head for marker in ('"date_unixtime"', '"personal_information"', '"chats"', '"from_id"')):
        return "telegram"
    if '"messages"' in head and ('"date"' in head or '"type": "personal_chat"' in head or '"name"' in head):
        return "telegram"
    raise ChatImportError(
        f"{name} is JSON but neither a Telegram Desktop export (result.json) nor a DiscordChatExporter JSON."
    )


def read_chat(
    path: str | Path,
    format: str = "auto",
    *,
    pseudonymise: bool = True,
    secret: bytes | str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    tz: str | None = None,
    language: str = "en",
    keep_own: Iterable[str] = (),
    project: str = "default",
) -> tuple[pd.DataFrame, ImportReport]:
    """Import a chat export into the ``Messages`` table.

    Parameters
    ----------
    path : str or Path
        The export (file, folder or zip; see the module docstring).
    format : str
        ``"auto"`` (default) or one of :data:`FORMATS`.
    pseudonymise : bool
        Replace authors by keyed pseudonyms and mask phone numbers, e-mails and @mentions
        (default). ``False`` is an explicit opt-out: raw names stay in the table (they are
        still never written anywhere by this function).
    secret : bytes or str, optional
        Key of the pseudonyms. Default: the secret of ``project`` in the user's data
        directory, created on first use (never written into the table or the report).
    max_bytes : int
        Refuse exports larger than this many bytes (default 2 GiB); a zip archive counts
        with what it unpacks to (:class:`ExportTooLarge`).
    tz : str, optional
        IANA time zone; default per source (see the module docstring).
    language : str
        ``"en"`` ("Member 3f9a2c") or ``"zh_CN"`` ("成员 3f9a2c") pseudonyms.
    keep_own : iterable of str
        The user's own ids or display names: their messages keep the raw author (opt-out for
        one's own data) while everyone else is pseudonymised.
    project : str
        Whose stored secret to use when ``secret`` is not given: pseudonyms are stable within
        a project and unlinkable between projects.

    Returns
    -------
    messages : pandas.DataFrame
        Columns :data:`~communitylab.data.schema.COLUMNS`, sorted by time.
    report : ImportReport
        ``read == kept + dropped``; dropped records with file, place and reason.

    Raises
    ------
    ChatImportError
        Unknown format, unreadable encoding, empty, truncated or oversized file.
    """
    path = Path(path)
    if format == "auto":
        format = detect_format(path)
    elif format not in FORMATS:
        raise ChatImportError(f"Unknown format {format!r}; use one of: auto, {', '.join(FORMATS)}.")
    elif not path.exists():
        raise ChatImportError(f"{display_name(path)} does not exist. Check the file name and folder.")
    if tz is not None:
        validate_zone(tz)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, float)) or not max_bytes > 0:
        raise ChatImportError(f"max_bytes must be a positive number of bytes, not {max_bytes!r}.")
    max_bytes = int(max_bytes)
    options = Options(
        tz=tz,
        max_bytes=max_bytes,
        pseudonymise=pseudonymise,
        secret=secret,
        language=language,
        keep_own=frozenset(keep_own),
        project=project,
    )
    module = importlib.import_module(f"{__name__}.{format}")
    # An import allocates millions of small objects (one dict per JSON message) that live
    # only until their batch is turned into columns; the cyclic garbage collector would
    # scan them again and again (about a second per million messages) and finds nothing,
    # since they hold no cycles. It is switched off for the import and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        messages, report = module.read(path, options)
    except ChatImportError:
        raise
    except (UnicodeError, json.JSONDecodeError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ChatImportError(f"{display_name(path)} could not be read as a {format} export: {exc}.") from None
    except (OSError, MemoryError) as exc:
        raise ChatImportError(f"{display_name(path)} could not be read: {exc}.") from None
    finally:
        if collecting:
            gc.enable()
    if not report.balanced:  # pragma: no cover - an importer bug, never the learner's fault
        raise AssertionError(f"import counts do not add up: {report}")
    return messages, report
