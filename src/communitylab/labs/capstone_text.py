"""What the capstone's panel and leaderboard share: labels of levers and pillars, the room, small formats.

The levers, the budget, the room and the score are :mod:`communitylab.capstone`'s; this module only
says how a person reads them, in the language in force (catalog ``capstone_ui.toml``).
"""

from __future__ import annotations

import html
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from communitylab import i18n
from communitylab.i18n import t

__all__ = [
    "lever_label",
    "unit_text",
    "module_heading",
    "pillar_label",
    "room_folder",
    "clock",
    "escape",
    "CAPSTONE_CSS",
]

#: Where a room's submissions go when the caller names no folder.
ROOM_ENV = "COMMUNITYLAB_ROOM"

CAPSTONE_CSS = """
<style>
.cl-capstone .cl-module-heading { margin: 10px 0 2px 0; font-weight: 600; color: #1f4e79; font-size: 0.95em; }
.cl-capstone .cl-section { margin: 8px 0 4px 0; font-weight: 600; font-size: 1.02em; }
.cl-capstone .cl-bar { height: 12px; background: #e6ebf2; border-radius: 6px; overflow: hidden; margin: 2px 0 6px 0; }
.cl-capstone .cl-bar > div { height: 100%; background: #1f77b4; }
.cl-capstone .cl-bar.cl-over > div { background: #c62828; }
.cl-capstone .cl-budget-line { display: flex; justify-content: space-between; font-size: 0.9em; }
.cl-capstone .cl-over-text { color: #c62828; font-weight: 600; }
.cl-capstone .cl-note { color: #666; font-size: 0.82em; line-height: 1.35; }
.cl-capstone .cl-ok { color: #1b5e20; font-weight: 600; }
.cl-capstone .cl-compare { line-height: 1.45; background: #fff8e1; border-left: 4px solid #e0a800; padding: 6px 10px; }
.cl-capstone .cl-board-table { border-collapse: collapse; font-size: 1.02em; margin: 6px 0; }
.cl-capstone .cl-board-table th, .cl-capstone .cl-board-table td { padding: 4px 12px; border-bottom: 1px solid #e3e8ef; text-align: right; }
.cl-capstone .cl-board-table th { color: #1f4e79; font-weight: 600; }
.cl-capstone .cl-board-table td.cl-left, .cl-capstone .cl-board-table th.cl-left { text-align: left; }
.cl-capstone .cl-board-table tr.cl-first td { font-weight: 650; }
.cl-capstone .widget-button { margin-right: 8px; }
.cl-capstone .cl-warnings { color: #8a5a00; font-size: 0.88em; }
body.cl-present .cl-capstone { font-size: 125%; }
</style>
"""


def escape(text: Any) -> str:
    """``text`` safe inside HTML (team names are typed by learners)."""
    return html.escape(str(text))


def lever_label(name: str, unit: str = "") -> str:
    """The lever's label with its unit, from the community model's catalog (the lab's slider label)."""
    label = t(f"community.param.{name}.label") if i18n.has(f"community.param.{name}.label") else name
    unit = unit_text(unit)
    return t("common.label_with_unit", label=label, unit=unit) if unit else label


def unit_text(unit: str) -> str:
    """A unit as the current language writes it (``common.unit.<unit>``), or as given when the catalog has none."""
    return t(f"common.unit.{unit}") if unit and i18n.has(f"common.unit.{unit}") else unit


def lever_help(name: str) -> str:
    """The lever's help text (the slider's tooltip)."""
    key = f"community.param.{name}.help"
    return t(key) if i18n.has(key) else ""


def module_heading(lesson: str) -> str:
    """``Module 03 · Participation design``: the lesson a group of levers comes from."""
    key = f"course.module.m{lesson}.title"
    return t("capstone_ui.module_heading", lesson=lesson, title=t(key) if i18n.has(key) else "")


def pillar_label(name: str) -> str:
    """A pillar's name in the language in force; the capstone's own label first, then the panel's."""
    for key in (f"community.pillar.{name}", f"capstone.pillar.{name}", f"capstone_ui.pillar.{name}"):
        if i18n.has(key):
            value = t(key)
            if isinstance(value, str):
                return value
    return name


def room_folder(room: str | os.PathLike | None = None) -> Path:
    """The room folder: ``room`` if given, else ``$COMMUNITYLAB_ROOM``, else the capstone's default."""
    if room:
        return Path(room)
    if os.environ.get(ROOM_ENV):
        return Path(os.environ[ROOM_ENV])
    from communitylab.capstone import room as capstone_room

    return Path(capstone_room.default_room())


def clock(when: Any) -> str:
    """A submission time as ``14:05:09`` (local time); accepts a timestamp, a datetime or ISO text."""
    if isinstance(when, int | float):
        when = datetime.fromtimestamp(when)
    elif isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return when
    if isinstance(when, datetime):
        if when.tzinfo is not None:
            when = when.astimezone()
        return when.strftime("%H:%M:%S")
    return str(when)
