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

WeChat has no bots in ordinary groups, so ``is_bot`` is False.

Quoted replies (引用回复, type 49/57) are replies, as in the other formats: ``text`` holds the
reply's own words and ``reply_to`` the quoted message. Neither tool writes the quoted
message's id, only its time and words: WeChatMsg keeps WeChat's XML (``<title>`` the reply,
``<refermsg>`` with ``<createtime>`` and ``<content>`` the quote), PyWxDump writes
``"<reply>\n\n[引用](<time>)<name>:<quoted words>"``. The quoted message is looked up in
the same chat by that time (to the second) and, where several messages share it, by its
words; when the export does not hold it, ``reply_to`` is ``"quoted@<its time, ISO 8601>"``
(or ``"quoted"`` when no time is given), which names no message of the table, as a Telegram
reply to a message outside the export does. The quoted words and the quoted member's name
never enter the table.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from communitylab.data.schema import ImportReport

from ._csv import blank_to_na, csv_chunks, stripped_codes
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
#: PyWxDump's quoted reply: the reply, a blank line, "[引用](time)", the quoted name, ":", the quoted words.
_PYWXDUMP_QUOTE = re.compile(r"\n\n\[引用\]\((?P<time>[^)\n]*)\)(?P<quote>.*)\Z", re.DOTALL)
#: WeChat's XML of a quoted reply: the time (Unix seconds) and words of the quoted message.
_REFER_TIME = r"<refermsg>.*?<createtime>\s*(\d+)\s*</createtime>"
_REFER_CONTENT = r"<refermsg>.*?<content>(.*?)</content>"
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
    quotes: list[pd.DataFrame] = []
    for first, chunk in csv_chunks(path, report):
        columns = set(chunk.columns)
        if "StrContent" in columns:
            frame, chunk_quotes = _wechatmsg(chunk, first, zone)
        elif "CreateTime" in columns and ({"MsgSvrID", "type_name", "talker"} & columns):
            frame, chunk_quotes = _pywxdump(chunk, first, zone)
        else:
            raise ChatImportError(
                f"{name} is CSV but not a WeChat export: expected the columns of WeChatMsg/留痕 "
                "(StrContent, StrTime, ...) or PyWxDump (MsgSvrID, type_name, CreateTime, ...)."
            )
        parts.append(frame)
        quotes.append(chunk_quotes.assign(part=len(parts) - 1))
    if sum(map(len, quotes)):
        _link_quotes(parts, pd.concat(quotes, ignore_index=True), zone)
    return finish(parts, report, [name], "record", "wechat", options), report


def _column(chunk: pd.DataFrame, name: str) -> pd.Series:
    if name in chunk.columns:
        return blank_to_na(chunk[name])
    return pd.Series(pd.NA, index=chunk.index, dtype="string")


def _codes(chunk: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """A code column (``Type``, ``type_name``) as ``(codes, stripped names)``; ``""`` when absent."""
    if name in chunk.columns:
        return stripped_codes(chunk[name])
    return np.zeros(len(chunk), dtype=np.intp), np.array([""], dtype=object)


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


def _wechatmsg(chunk: pd.DataFrame, first: int, zone: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw frame of a WeChatMsg chunk, and its quoted replies (see :func:`_link_quotes`)."""
    types, type_names = _codes(chunk, "Type")
    subtypes, subtype_names = _codes(chunk, "SubType")
    kind = np.array([_TYPE_KIND.get(t, "media") for t in type_names], dtype=object)[types]
    quoted = (type_names == "49")[types] & (subtype_names == "57")[subtypes]
    kind[quoted] = "text"
    text = _column(chunk, "StrContent")
    # The reply's words sit in the <title> of the XML, the quoted message in its <refermsg>.
    xml = text[quoted]
    when = xml.str.extract(_REFER_TIME, flags=re.DOTALL, expand=False)
    words = xml.str.extract(_REFER_CONTENT, flags=re.DOTALL, expand=False).map(html.unescape, na_action="ignore")
    quotes = _quotes(np.flatnonzero(quoted), when, words, zone, local=False)
    text[quoted] = xml.str.extract(r"<title>(.*?)</title>", flags=re.DOTALL, expand=False).map(
        html.unescape, na_action="ignore"
    )
    media = kind == "media"
    text[media] = pd.NA  # media rows hold XML or file paths, not words anyone wrote
    _system_kinds(kind, text)
    times, raw_time = _times(_column(chunk, "CreateTime"), _column(chunk, "StrTime"), zone)
    nick = _column(chunk, "NickName")
    frame = raw_frame(
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
    return frame, quotes


def _pywxdump(chunk: pd.DataFrame, first: int, zone: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw frame of a PyWxDump chunk, and its quoted replies (see :func:`_link_quotes`)."""
    type_codes, type_names = _codes(chunk, "type_name")
    kind = np.array([_NAME_KIND.get(t, "media") for t in type_names], dtype=object)[type_codes]
    text = _column(chunk, "msg") if "msg" in chunk.columns else _unwrap_json(_column(chunk, "content"))
    quoted = (type_names == "引用回复")[type_codes]
    parts = text[quoted].str.extract(_PYWXDUMP_QUOTE.pattern, flags=re.DOTALL)
    found = parts["time"].notna().to_numpy()
    # "[引用](time)name:words": the name may be empty; the words follow the first colon
    words = parts["quote"].str.split(":", n=1).str[1]
    quotes = _quotes(np.flatnonzero(quoted), parts["time"].str.strip(), words, zone, local=True)
    reply = text[quoted]
    reply[found] = [body[: _PYWXDUMP_QUOTE.search(body).start()] for body in reply[found]]
    text[quoted] = reply
    text[kind == "media"] = pd.NA
    _system_kinds(kind, text)
    times, raw_time = _times(_column(chunk, "CreateTime"), pd.Series(pd.NA, index=chunk.index, dtype="string"), zone)
    message_id = _column(chunk, "MsgSvrID").fillna(_column(chunk, "id"))
    talker = _column(chunk, "talker")
    frame = raw_frame(
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
    return frame, quotes


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


def _quotes(rows: np.ndarray, when: pd.Series, words: pd.Series, zone: str, *, local: bool) -> pd.DataFrame:
    """One row per quoted reply of a chunk: its ``row`` in the chunk, the quoted ``time`` and ``words``.

    ``when`` is Unix seconds (WeChatMsg) or, with ``local``, local time text (PyWxDump);
    ``time`` comes out in nanoseconds since the epoch, the int64 minimum (NaT) when unknown.
    """
    when = when.reset_index(drop=True)
    stamps = parse_local(when, zone, _LOCAL_FORMATS) if local else from_epoch_seconds(when, zone)
    return pd.DataFrame(
        {
            "row": rows,
            "time": pd.DatetimeIndex(stamps).as_unit("ns").asi8,
            "words": pd.array(words.to_numpy(dtype=object, na_value=None), dtype="string"),
        }
    )


def _link_quotes(parts: list[pd.DataFrame], quotes: pd.DataFrame, zone: str) -> None:
    """Set ``reply_to`` of every quoted reply to the quoted message (see the module docstring).

    Candidates are the other messages of the same chat sent in the quoted second; the first
    with the quoted words wins, else a lone candidate; failing both, the quote is named by
    its time.
    """
    times = np.unique(quotes["time"].to_numpy())
    candidates = []
    for index, frame in enumerate(parts):
        stamps = pd.DatetimeIndex(frame["timestamp"]).as_unit("ns").asi8
        rows = np.flatnonzero(np.isin(stamps, times) & ~pd.isna(frame["timestamp"]).to_numpy())
        picked = frame.iloc[rows]
        candidates.append(
            pd.DataFrame(
                {
                    "part": index,
                    "row": rows,
                    "time": stamps[rows],
                    "chat": picked["chat"].array,
                    "words": picked["text"].array,
                    "message_id": picked["message_id"].array,
                }
            )
        )
    quotes["chat"] = pd.array([parts[p]["chat"].iloc[r] for p, r in zip(quotes["part"], quotes["row"], strict=True)])
    pairs = quotes.reset_index(names="quote").merge(
        pd.concat(candidates, ignore_index=True), on=["chat", "time"], suffixes=("", "_target")
    )
    pairs = pairs[(pairs["part"] != pairs["part_target"]) | (pairs["row"] != pairs["row_target"])]
    same_words = pairs[pairs["words"].eq(pairs["words_target"]).fillna(False).to_numpy(bool)]
    alone = pairs[~pairs["quote"].duplicated(keep=False).to_numpy()]
    target = pd.concat([same_words, alone]).dropna(subset="message_id").drop_duplicates("quote")
    target = target.set_index("quote")["message_id"]
    when = pd.DatetimeIndex(quotes["time"].to_numpy().view("datetime64[ns]")).tz_localize("UTC").tz_convert(zone)
    reply_to = np.array(["quoted" if pd.isna(t) else f"quoted@{t.isoformat()}" for t in when], dtype=object)
    reply_to[target.index.to_numpy()] = target.to_numpy(dtype=object)
    for index, group in quotes.groupby("part"):
        column = parts[index]["reply_to"].copy()
        column.iloc[group["row"].to_numpy()] = reply_to[group.index.to_numpy()]
        parts[index]["reply_to"] = column
