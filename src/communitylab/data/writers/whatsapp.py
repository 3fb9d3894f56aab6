"""WhatsApp "Export chat" text, Android or iOS (see the package docstring)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ._table import _kinds, _local, _texts


def write_whatsapp_txt(messages: pd.DataFrame, path: str | Path, *, flavour: str = "android") -> Path:
    """Write a WhatsApp "Export chat" (without media) text file.

    ``android``: en-US, 12-hour clock with the narrow no-break space newer phones write
    before AM/PM (``3/4/24, 9:15\u202fAM - Name: text``); ``ios``: day-first with seconds
    (``[04/03/2024, 09:15:02] Name: text``). Multi-line messages continue on the next
    lines; joins, leaves and renames are system lines without a sender; media is
    ``<Media omitted>`` (Android) or ``image omitted`` (iOS).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    local = _local(messages)
    kinds, texts = _kinds(messages), _texts(messages)
    names = messages["author_name"].astype(object).fillna("").to_numpy()
    if flavour == "android":
        hour = local.dt.hour.to_numpy()
        h12 = np.where(hour % 12 == 0, 12, hour % 12)
        stamp = [
            f"{m}/{d}/{y % 100:02d}, {h}:{mi:02d}\u202f{'AM' if hh < 12 else 'PM'}"
            for m, d, y, h, mi, hh in zip(
                local.dt.month, local.dt.day, local.dt.year, h12, local.dt.minute, hour, strict=True
            )
        ]
        lead = [f"{s} - " for s in stamp]
        media = "<Media omitted>"
        first = f"{lead[0] if lead else '1/1/24, 12:00 AM - '}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."
    elif flavour == "ios":
        lead = [f"[{s}] " for s in local.dt.strftime("%d/%m/%Y, %H:%M:%S")]
        media = "\u200eimage omitted"
        first = f"{lead[0] if lead else '[01/01/2024, 00:00:00] '}Community Lab group: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
    else:
        raise ValueError(f"flavour must be 'android' or 'ios', not {flavour!r}")
    lines = [first]
    for i in range(len(messages)):
        kind = kinds[i]
        if kind == "join":
            lines.append(f"{lead[i]}{names[i]} joined using this group's invite link")
        elif kind == "leave":
            lines.append(f"{lead[i]}{names[i]} left")
        elif kind == "system":
            lines.append(f'{lead[i]}{names[i]} changed the group name to "{texts[i] or "Community Lab group"}"')
        else:
            body = media if kind in ("media", "sticker") else texts[i]
            lines.append(f"{lead[i]}{names[i]}: {body}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
