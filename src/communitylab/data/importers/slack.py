"""Slack workspace exports: a folder or a ``.zip`` holding ``channels.json``, ``users.json``
and one folder per channel with a JSON file per day (``general/2023-01-02.json``).

A day file is a list of messages with ``ts`` (Unix seconds as text, also the message's id
within its channel), ``user``, ``text``, optional ``subtype`` (``channel_join``,
``channel_leave``, ``bot_message``, ``file_share``, ``channel_topic`` ...), ``bot_id`` and
``username`` for integrations that have no user id, ``files``, and ``thread_ts`` (the
``ts`` of the thread's first message). A message whose ``thread_ts`` differs from its own
``ts`` is a reply in that thread: ``thread`` and ``reply_to`` are both set to it.
Private channels (``groups.json``), group DMs (``mpims.json``) and DMs (``dms.json``)
are read the same way when present; a single day file can also be imported on its own.

Time zone: ``ts`` is exact; times are shown in ``tz`` (default :data:`DEFAULT_TZ`).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pandas as pd

from communitylab.data.schema import ImportReport

from ._archive import DamagedMember, ZipExport
from ._files import check_size, check_total, display_name
from ._finish import RAW_COLUMNS, finish, raw_frame
from ._options import ChatImportError, Options
from ._times import from_epoch_seconds

DEFAULT_TZ = "UTC"
_JOIN = frozenset({"channel_join", "group_join"})
_LEAVE = frozenset({"channel_leave", "group_leave"})
_TEXT = frozenset({"bot_message", "thread_broadcast", "me_message", "reply_broadcast", "file_comment"})
_MEDIA = frozenset({"file_share"})
_INDEXES = (
    "channels.json",
    "groups.json",
    "mpims.json",
    "dms.json",
    "users.json",
    "integration_logs.json",
    "canvases.json",
    "huddle_transcripts.json",
    "org_users.json",
)


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a Slack export folder, ``.zip``, or a single day file."""
    path = Path(path)
    report = ImportReport(format="slack")
    files: list[str] = []
    users: dict[str, tuple[str | None, bool]] = {}
    cols: dict[str, list] = {k: [] for k in RAW_COLUMNS if k != "timestamp"}
    for member, channel, loader in _day_files(path, options, users):
        files.append(member)
        try:
            data = loader()
        except ChatImportError:
            raise  # over the size limit: the whole import stops
        except DamagedMember as exc:
            report.drop(member, "record 1", f"the day file cannot be unpacked ({exc}); its messages are skipped")
            continue
        except (ValueError, UnicodeDecodeError) as exc:
            report.drop(member, "record 1", f"the day file is not valid JSON ({_short(exc)}); its messages are skipped")
            continue
        if not isinstance(data, list):
            report.drop(member, "record 1", "the day file does not hold a list of messages")
            continue
        _add_day(data, len(files) - 1, channel, member, users, cols, report)
    if not files:
        raise ChatImportError(f"{display_name(path)} holds no channel day files (channel/YYYY-MM-DD.json).")
    raw_time = pd.Series(cols.pop("raw_time"), dtype=object)
    timestamp = from_epoch_seconds(raw_time, options.zone(DEFAULT_TZ))
    frame = raw_frame(cols.pop("where"), timestamp=timestamp, raw_time=raw_time, **cols)
    return finish([frame], report, files, "record", "slack", options), report


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:80]


def _day_files(path: Path, options: Options, users: dict) -> Iterator[tuple[str, str, object]]:
    """Yield ``(display name, channel, loader)`` per day file, after reading ``users.json``."""
    if path.is_file() and not zipfile.is_zipfile(path):
        check_size(path, options.max_bytes)
        channel = path.parent.name or "channel"
        yield path.name, channel, lambda: _decode(path.read_bytes())
        return
    if path.is_dir():
        entries = sorted(p for p in path.rglob("*.json") if p.is_file())
        check_total(sum(p.stat().st_size for p in entries), options.max_bytes, display_name(path))
        root = _root([p.relative_to(path).as_posix() for p in entries])
        for p in entries:
            if p.relative_to(path).as_posix() == f"{root}users.json":
                _load_users(_json_or_none(lambda p=p: p.read_bytes()), users)
        for p in entries:
            rel = p.relative_to(path).as_posix()
            channel = _channel_of(rel, root)
            if channel is not None:
                yield rel, channel, lambda p=p: _decode(p.read_bytes())
        return
    with ZipExport(path, options.max_bytes) as archive:
        root = _root([i.filename for i in archive.members])
        for info in archive.members:
            if info.filename == f"{root}users.json":
                _load_users(_json_or_none(lambda info=info: archive.read(info)), users)
        for info in archive.members:
            channel = _channel_of(info.filename, root)
            if channel is not None:
                yield info.filename, channel, lambda info=info: _decode(archive.read(info))


def _decode(data: bytes) -> object:
    return json.loads(data.decode("utf-8-sig", errors="replace"))


def _json_or_none(read_bytes) -> object:
    """The decoded JSON of an index file, or None if it is damaged (the import goes on without it)."""
    try:
        return _decode(read_bytes())
    except ChatImportError:
        raise  # over the size limit: the whole import stops
    except (ValueError, OSError):
        return None


def _root(names: list[str]) -> str:
    """Folder prefix holding ``channels.json``/``users.json`` ("" or "export-name/")."""
    for name in names:
        pure = PurePosixPath(name)
        if pure.name in ("channels.json", "users.json"):
            parent = pure.parent.as_posix()
            return "" if parent == "." else parent + "/"
    return ""


def _channel_of(name: str, root: str) -> str | None:
    """Channel folder of a day file, or None for index files and anything else."""
    if not name.startswith(root):
        return None
    parts = PurePosixPath(name[len(root) :]).parts
    if len(parts) != 2 or parts[1] in _INDEXES:
        return None
    return parts[0]


def _load_users(data: object, users: dict) -> None:
    if not isinstance(data, list):
        return
    for user in data:
        if not isinstance(user, dict) or not user.get("id"):
            continue
        profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
        display = profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name")
        users[str(user["id"])] = (display if isinstance(display, str) else None, bool(user.get("is_bot")))


def _add_day(
    data: list, file_index: int, channel: str, member: str, users: dict, cols: dict, report: ImportReport
) -> None:
    for number, msg in enumerate(data, start=1):
        if not isinstance(msg, dict):
            report.drop(member, f"record {number}", "not a message object")
            continue
        ts = msg.get("ts")
        if not isinstance(ts, (str, int, float)) or isinstance(ts, bool):
            report.drop(member, f"record {number}", "the message has no time stamp (ts)")
            continue
        ts = str(ts)
        subtype = msg.get("subtype")
        user = msg.get("user")
        bot = subtype == "bot_message" or bool(msg.get("bot_id"))
        key = str(user) if user else (str(msg.get("bot_id") or msg.get("username") or "") or None)
        known_name, known_bot = users.get(key or "", (None, False))
        profile = msg.get("user_profile")
        profile = profile if isinstance(profile, dict) else {}
        name = known_name or msg.get("username") or profile.get("display_name") or profile.get("real_name")
        if subtype in _JOIN:
            kind = "join"
        elif subtype in _LEAVE:
            kind = "leave"
        elif subtype in _MEDIA or (subtype is None and msg.get("files") and not msg.get("text")):
            kind = "media"
        elif subtype is None or subtype in _TEXT:
            kind = "text"
        else:
            kind = "system"
        thread_ts = msg.get("thread_ts")
        thread = str(thread_ts) if isinstance(thread_ts, (str, int, float)) and thread_ts else None
        text = msg.get("text")
        cols["message_id"].append(ts)
        cols["raw_time"].append(ts)
        cols["author_key"].append(key)
        cols["author_name"].append(name if isinstance(name, str) else None)
        cols["text"].append(text if isinstance(text, str) and text else None)
        cols["kind"].append(kind)
        cols["reply_to"].append(thread if thread and thread != ts else None)
        cols["thread"].append(thread)
        cols["chat"].append(channel)
        cols["is_bot"].append(bot or known_bot)
        cols["file"].append(file_index)
        cols["where"].append(number)
