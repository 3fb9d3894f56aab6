"""WeChat chat history exported as CSV by the open-source tools people use.

Two header families are recognised:

* **WeChatMsg / 留痕** (``exporter_csv.py``):
  ``localId, TalkerId, Type, SubType, IsSender, CreateTime, Status, StrContent, StrTime,
  Remark, NickName, Sender``. ``CreateTime`` is Unix seconds, ``StrTime`` local
  ``YYYY-MM-DD HH:MM:SS``; ``Type`` is WeChat's numeric message type (1 text, 3 image,
  34 voice, 43 video, 47 sticker, 49 app message with ``SubType`` 57 = quoted reply,
  10000 system). Written as UTF-8 with byte-order mark.
* **PyWxDump** (``exportCSV.py``):
  ``id, MsgSvrID, type_name, is_sender, talker, room_name, msg, src, CreateTime`` with
  ``CreateTime`` local ``YYYY-MM-DD HH:MM:SS`` and Chinese type names (文本, 图片, 动画表情,
  系统通知 ...). Older versions have ``content`` instead of ``msg, src``, holding JSON
  (``{"src": ..., "msg": ...}``) inside the CSV cell.

Files re-saved by Excel on a Chinese Windows are GB18030; both encodings are read.

Time zone: local times are read in ``tz`` (default :data:`DEFAULT_TZ`, China Standard
Time, where nearly all WeChat users are); Unix seconds are exact and shown in ``tz``.

WeChat has no bots in ordinary groups, so ``is_bot`` is False. Quoted replies are marked
``text`` but the CSV does not say which message they quote, so ``reply_to`` stays empty.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._csv import blank_to_na, csv_chunks
from ._files import check_size, display_name
from ._finish import finish, raw_frame
from ._options import ChatImportError, Options
from ._times import from_epoch_seconds, parse_local

DEFAULT_TZ = "Asia/Shanghai"
_LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")

#: WeChat's numeric ``Type`` -> kind (types not listed are media).
_TYPE_KIND = {"1": "text", "47": "sticker", "10000": "system", "10002": "system", "50": "system"}
#: PyWxDump ``type_name`` -> kind (names not listed are media).
_NAME_KIND = {
    "文本": "text",
    "引用回复": "text",
    "text": "text",
    "动画表情": "sticker",
    "表情": "sticker",
    "sticker": "sticker",
    "系统通知": "system",
    "撤回消息": "system",
    "拍一拍": "system",
    "语音通话": "system",
    "视频通话": "system",
    "邀请加群": "system",
    "系统消息": "system",
    "system": "system",
}
_JOIN = r"加入了群聊|加入群聊|joined the group|to the group chat|invited .* to the group"
_LEAVE = r"移出了群聊|退出了群聊|removed .* from the group|left the group"


def read(path: Path, options: Options) -> tuple[pd.DataFrame, ImportReport]:
    """Read a WeChatMsg or PyWxDump CSV export."""
    path = Path(path)
    check_size(path, options.max_bytes)
    report = ImportReport(format="wechat")
    zone = options.zone(DEFAULT_TZ)
    name = display_name(path)
    parts: list[pd.DataFrame] = []
    for first, chunk in csv_chunks(path, report):
        columns = set(chunk.columns)
        if "StrContent" in columns:
            parts.append(_wechatmsg(chunk, first, zone))
        elif "CreateTime" in columns and ({"MsgSvrID", "type_name", "talker"} & columns):
            parts.append(_pywxdump(chunk, first, zone))
        else:
            raise ChatImportError(
                f"{name} is CSV but not a WeChat export: expected the columns of WeChatMsg/留痕 "
                "(StrContent, StrTime, ...) or PyWxDump (MsgSvrID, type_name, CreateTime, ...)."
            )
    return finish(parts, report, [name], "record", "wechat", options), report


def _column(chunk: pd.DataFrame, name: str) -> pd.Series:
    if name in chunk.columns:
        return blank_to_na(chunk[name].fillna(""))
    return pd.Series(pd.NA, index=chunk.index, dtype="string")


def _times(epoch_or_text: pd.Series, fallback: pd.Series, zone: str) -> tuple[pd.Series, pd.Series]:
    """Unix seconds where the cell is a number, else local text; returns (times, raw)."""
    raw = epoch_or_text.fillna(fallback)
    times = from_epoch_seconds(raw, zone)
    text = times.isna().to_numpy() & raw.notna().to_numpy()
    if text.any():
        times[text] = parse_local(raw[text].str.strip(), zone, _LOCAL_FORMATS)
    still = times.isna().to_numpy() & fallback.notna().to_numpy()
    if still.any():  # an unusable CreateTime may still have a good StrTime
        times[still] = parse_local(fallback[still].str.strip(), zone, _LOCAL_FORMATS)
    return times, raw.astype(object)


def _system_kinds(kind: np.ndarray, text: pd.Series) -> None:
    system = kind == "system"
    if system.any():  # only the (few) system rows are searched, not every message
        rows = np.flatnonzero(system)
        body = text.iloc[rows].fillna("")
        kind[rows[body.str.contains(_JOIN, regex=True).to_numpy(bool)]] = "join"
        kind[rows[body.str.contains(_LEAVE, regex=True).to_numpy(bool)]] = "leave"


def _wechatmsg(chunk: pd.DataFrame, first: int, zone: str) -> pd.DataFrame:
    types = _column(chunk, "Type").str.strip()
    subtypes = _column(chunk, "SubType").str.strip()
    kind = types.map(_TYPE_KIND).fillna("media").to_numpy(dtype=object)
    quoted = ((types == "49") & (subtypes == "57")).fillna(False).to_numpy(bool)
    kind[quoted] = "text"
    text = _column(chunk, "StrContent")
    if quoted.any():  # the reply text of a quoted message sits in the <title> of its XML
        text[quoted] = text[quoted].str.extract(r"<title>(.*?)</title>", expand=False)
    media = kind == "media"
    text[media] = pd.NA  # media rows hold XML or file paths, not words anyone wrote
    _system_kinds(kind, text)
    times, raw_time = _times(_column(chunk, "CreateTime"), _column(chunk, "StrTime"), zone)
    nick = _column(chunk, "NickName")
    return raw_frame(
        np.arange(first, first + len(chunk)),
        timestamp=times,
        raw_time=raw_time,
        message_id=_column(chunk, "localId"),
        author_key=_column(chunk, "Sender"),
        author_name=nick.fillna(_column(chunk, "Remark")),
        text=text,
        kind=kind,
        chat=_column(chunk, "TalkerId"),
    )


def _pywxdump(chunk: pd.DataFrame, first: int, zone: str) -> pd.DataFrame:
    kind = _column(chunk, "type_name").str.strip().map(_NAME_KIND).fillna("media").to_numpy(dtype=object)
    text = _column(chunk, "msg") if "msg" in chunk.columns else _unwrap_json(_column(chunk, "content"))
    text[kind == "media"] = pd.NA
    _system_kinds(kind, text)
    times, raw_time = _times(_column(chunk, "CreateTime"), pd.Series(pd.NA, index=chunk.index, dtype="string"), zone)
    message_id = _column(chunk, "MsgSvrID").fillna(_column(chunk, "id"))
    talker = _column(chunk, "talker")
    return raw_frame(
        np.arange(first, first + len(chunk)),
        timestamp=times,
        raw_time=raw_time,
        message_id=message_id,
        author_key=talker,
        author_name=talker,
        text=text,
        kind=kind,
        chat=_column(chunk, "room_name"),
    )


def _unwrap_json(values: pd.Series) -> pd.Series:
    """Old PyWxDump wrote ``json.dumps(content)``: a JSON string, or an object with ``msg``."""
    wrapped = values.str.match(r'\s*[{"]').fillna(False).to_numpy(bool)
    if not wrapped.any():
        return values
    out = values.copy()
    out[wrapped] = [_json_text(v) for v in values[wrapped].tolist()]
    return out


def _json_text(cell: str) -> str | None:
    try:
        value = json.loads(cell)
    except ValueError:
        return cell  # not JSON after all: keep the text as written
    if isinstance(value, dict):
        inner = value.get("msg", value.get("content"))
        return inner if isinstance(inner, str) and inner else None
    return value if isinstance(value, str) and value else None
