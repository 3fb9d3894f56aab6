"""WeChat CSV as WeChatMsg/留痕 and PyWxDump write it (see the package docstring)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ._table import _digits, _id_map, _kinds, _local, _texts, _token, _unix_seconds


def _wechat_ids(messages: pd.DataFrame) -> dict[str, str]:
    return _id_map(messages["author_id"], lambda a: "wxid_" + _token(a, "wechat", 14))


def _wechat_join_text(name: str, kind: str, inviter: str) -> str:
    if kind == "join":
        if name == inviter:
            return f'"{name}"通过扫描二维码加入群聊'
        return f'"{inviter}"邀请"{name}"加入了群聊'
    return f'"{inviter}"将"{name}"移出了群聊'


def write_wechat_csv(
    messages: pd.DataFrame,
    path: str | Path,
    *,
    flavour: str = "wechatmsg",
    room_id: str = "20873459612@chatroom",
    me: str | None = None,
) -> Path:
    """Write a WeChat group chat as WeChatMsg (``flavour="wechatmsg"``) or PyWxDump CSV.

    Joins and leaves become system notices (``Type`` 10000 / "系统通知") whose text names
    the member, as WeChat shows them; media become images (``Type`` 3), stickers
    animated emoji (``Type`` 47). ``me`` is the ``author_id`` of the account that made
    the export (``IsSender`` 1; PyWxDump then writes "我" as its talker).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = _wechat_ids(messages)
    kinds = _kinds(messages)
    texts = _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    authors = messages["author_id"].astype(object).to_numpy()
    local_text = _local(messages).dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy()
    inviter = names[np.flatnonzero(kinds == "join")[0]] if (kinds == "join").any() else "群主"
    is_event = np.isin(kinds, ["join", "leave", "system"])
    for i in np.flatnonzero(np.isin(kinds, ["join", "leave"])):
        texts[i] = _wechat_join_text(names[i], kinds[i], inviter)
    sender = np.array([ids.get(a, "") for a in authors], dtype=object)
    sender[is_event] = ""
    is_me = (authors == me) & ~is_event if me is not None else np.zeros(len(authors), bool)
    type_code = np.select([kinds == "media", kinds == "sticker", is_event], [3, 47, 10000], 1)
    if flavour == "wechatmsg":
        frame = pd.DataFrame(
            {
                "localId": np.arange(1, len(messages) + 1),
                "TalkerId": 2,
                "Type": type_code,
                "SubType": 0,
                "IsSender": is_me.astype(int),
                "CreateTime": _unix_seconds(messages),
                "Status": 2,
                "StrContent": np.where(type_code == 3, "", texts),
                "StrTime": local_text,
                "Remark": "",
                "NickName": np.where(is_event, "", names),
                "Sender": sender,
            }
        )
        frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_MINIMAL)
    elif flavour == "pywxdump":
        type_name = np.select(
            [kinds == "media", kinds == "sticker", is_event], ["图片", "动画表情", "系统通知"], "文本"
        )
        talker = np.where(is_event, "未知", np.where(is_me, "我", sender))
        msg_id = messages["message_id"].astype(object).fillna("0").to_numpy()
        frame = pd.DataFrame(
            {
                "id": np.arange(1, len(messages) + 1),
                "MsgSvrID": [_digits(m, "wxsvr", 19) for m in msg_id],
                "type_name": type_name,
                "is_sender": is_me.astype(int),
                "talker": talker,
                "room_name": room_id,
                "msg": np.select([kinds == "media", kinds == "sticker"], ["图片", "表情"], texts),
                "src": np.where(
                    kinds == "media",
                    [
                        f"FileStorage\\MsgAttach\\{_token(m, 'img', 12)}\\Image\\{t[:7]}\\{_token(m, 'f', 16)}.dat"
                        for m, t in zip(msg_id, local_text, strict=True)
                    ],
                    "",
                ),
                "CreateTime": local_text,
            }
        )
        frame.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    else:
        raise ValueError(f"flavour must be 'wechatmsg' or 'pywxdump', not {flavour!r}")
    return path
