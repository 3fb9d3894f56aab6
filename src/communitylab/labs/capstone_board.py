"""The room's capstone leaderboard, for the projector (``notebooks/<lang>/08_leaderboard.ipynb`` in Voila).

Every few seconds a kernel-side thread looks at the room folder; when a file has appeared or changed it loads the
submissions (:func:`communitylab.capstone.room.load`), ranks each team's latest plan over many seeds
(:func:`communitylab.capstone.scoring.leaderboard`: mean health score, ties to the smaller 10-90 % spread) and
updates the widgets in place, so the page never reloads. Files the loader skipped are listed by name.

The table is one chart: rank and team, the 10-90 % band with the mean as a dot, and the pillar that holds each team
back. Choosing a team (in the menu, or by clicking its row) opens its plan's trajectory beside the median team's,
and the two plans' levers side by side.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as W

from communitylab import i18n
from communitylab.capstone import plan as capstone_plan
from communitylab.capstone import room as capstone_room
from communitylab.capstone import scoring
from communitylab.i18n import t
from communitylab.labs._offline import enable_offline_charts
from communitylab.labs._style import LAB_CSS
from communitylab.labs._widgets import language_toggle
from communitylab.labs.capstone_text import CAPSTONE_CSS, clock, escape, lever_label, pillar_label, room_folder

__all__ = ["Leaderboard"]

#: Seconds between two looks at the room folder: a submission shows within this plus the scoring time.
INTERVAL_S = 2.0
SEEDS = 20
ROW_HEIGHT = 34
BAND_COLOR = "#a9cbe8"
MEAN_COLOR = "#1f4e79"
TEAM_COLOR = "#1f77b4"
MEDIAN_COLOR = "#8c8c8c"


class Leaderboard(W.VBox):
    """The live leaderboard of a room; see the module docstring.

    Parameters
    ----------
    room : path, optional
        The room folder (default ``$COMMUNITYLAB_ROOM``, else the capstone's default folder).
    lang : str, optional
        ``"en"`` or ``"zh_CN"``; by default the language in force.
    seeds : int
        Seeds each plan is scored over.
    interval : float or None
        Seconds between two looks at the folder; ``None`` never refreshes by itself (call :meth:`refresh`).
    """

    def __init__(
        self,
        room: str | os.PathLike | None = None,
        lang: str | None = None,
        seeds: int = SEEDS,
        interval: float | None = INTERVAL_S,
    ) -> None:
        enable_offline_charts()
        if lang is not None:
            i18n.set_lang(lang)
        self._room = room_folder(room)
        self._seeds = int(seeds)
        self._rows: list = []
        self._warnings: list[str] = []
        self._signature: tuple | None = None
        self._updated: float | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._updating = False

        self._title = W.HTML()
        self._language = language_toggle()
        self._subtitle = W.HTML()
        self._info = W.HTML()
        self._empty = W.HTML()
        self._chart = alt.JupyterChart(alt.Chart().mark_bar(), embed_options={"renderer": "svg", "actions": False})
        self._chart.add_class("cl-chart")
        self._chart.add_class("cl-board")
        self._open = W.Dropdown(layout=W.Layout(width="520px"), style={"description_width": "180px"})
        self._detail_title = W.HTML()
        self._detail_chart = alt.JupyterChart(
            alt.Chart().mark_line(), embed_options={"renderer": "svg", "actions": False}
        )
        self._detail_chart.add_class("cl-detail-chart")
        self._detail_table = W.HTML()
        self._detail = W.VBox([self._detail_title, W.HBox([self._detail_chart, self._detail_table])])
        self._detail.layout.display = "none"
        self._skipped = W.HTML()

        header = W.HBox(
            [self._title, self._language], layout=W.Layout(justify_content="space-between", align_items="center")
        )
        header.add_class("cl-header")
        super().__init__(
            [
                W.HTML(LAB_CSS + CAPSTONE_CSS),
                header,
                self._subtitle,
                self._info,
                self._empty,
                self._chart,
                self._open,
                self._detail,
                self._skipped,
            ]
        )
        self.add_class("cl-lab")
        self.add_class("cl-capstone")
        self._language.observe(self._handle_language_toggle, names="value")
        self._open.observe(lambda _change: self._show_detail(), names="value")
        self._chart.observe(self._handle_click, names="_vl_selections")
        # a bound method: i18n holds it weakly, so a board dropped without close() stops redrawing
        self._unsubscribe = i18n.on_lang_change(self._handle_lang_change)
        self.refresh()
        self._thread = None
        if interval:
            self._thread = threading.Thread(target=self._watch, args=(float(interval),), daemon=True)
            self._thread.start()

    # -- public API ------------------------------------------------------------------
    @property
    def room(self) -> Path:
        """The room folder shown."""
        return self._room

    @property
    def rows(self) -> list:
        """The ranked rows now shown (:class:`communitylab.capstone.scoring.Row`)."""
        return list(self._rows)

    @property
    def teams(self) -> list[str]:
        """Team names in rank order."""
        return [row.team for row in self._rows]

    @property
    def warnings(self) -> list[str]:
        """The loader's warnings about skipped files, as shown."""
        return list(self._warnings)

    def refresh(self, force: bool = False) -> bool:
        """Look at the room now; rescore and redraw if anything changed (or ``force``). Returns whether it did."""
        with self._lock:
            signature = _folder_signature(self._room)
            if signature == self._signature and not force:
                return False
            submissions, warnings = capstone_room.load(self._room)
            self._rows = list(scoring.leaderboard(submissions, seeds=self._seeds)) if submissions else []
            self._warnings = [str(w) for w in warnings]
            self._signature = signature
            self._updated = time.time()
            self._render()
            return True

    def open_team(self, team: str | None) -> None:
        """Open a team's plan beside the median team's (``None`` closes it)."""
        self._open.value = team

    def _handle_lang_change(self, _lang: str) -> None:
        self._render()

    def close(self) -> None:
        """Stop the refresh thread, stop following the language, and close the widgets."""
        self._stop.set()
        getattr(self, "_unsubscribe", lambda: None)()
        super().close()

    # -- refreshing --------------------------------------------------------------------
    def _watch(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.refresh()
            except Exception as error:  # a half-copied file or a full disk must not stop the projector page
                with self._lock:
                    self._warnings = [*self._warnings, f"{type(error).__name__}: {error}"][-20:]
                    self._render_skipped()

    def _handle_language_toggle(self, change: dict) -> None:
        if not self._updating:
            i18n.set_lang(change["new"])

    def _handle_click(self, change: dict) -> None:
        """A click on a team's row opens it, as the menu does."""
        picked = (change["new"] or {}).get("pick") or {}
        values = picked.get("value") or []
        team = values[0].get("team") if values and isinstance(values[0], dict) else None
        if team in self.teams and not self._updating:
            self._open.value = team

    # -- drawing -------------------------------------------------------------------------
    def _render(self) -> None:
        with self._lock:
            self._updating = True
            try:
                self._language.value = i18n.get_lang()
                self._title.value = f'<h2 class="cl-title">{escape(t("capstone_ui.board.title"))}</h2>'
                subtitle = t("capstone_ui.board.subtitle", seeds=self._seeds, assumption=t("capstone_ui.assumption"))
                self._subtitle.value = f'<div class="cl-note" style="font-size:0.95em">{escape(subtitle)}</div>'
                parts = [t("capstone_ui.board.teams", count=len(self._rows))]
                if self._updated is not None:
                    parts.append(t("capstone_ui.board.updated", time=clock(self._updated)))
                parts.append(t("capstone_ui.board.room", room=str(self._room)))
                self._info.value = f'<div class="cl-note cl-board-info">{escape(" · ".join(parts))}</div>'
                self._empty.value = (
                    "" if self._rows else f'<p class="cl-board-empty">{escape(t("capstone_ui.board.empty"))}</p>'
                )
                self._chart.layout.display = None if self._rows else "none"
                if self._rows:
                    self._chart.chart = self._table_chart()  # a chart, not a spec: its click selection reaches us
                chosen = self._open.value
                self._open.description = t("capstone_ui.board.open")
                self._open.options = [(t("capstone_ui.board.open_none"), None)] + [
                    (f"{row.rank} · {row.team}", row.team) for row in self._rows
                ]
                self._open.value = chosen if chosen in self.teams else None
                self._open.layout.display = None if self._rows else "none"
                self._render_skipped()
            finally:
                self._updating = False
            self._show_detail()

    def _render_skipped(self) -> None:
        if not self._warnings:
            self._skipped.value = ""
            return
        items = "".join(f"<li>{escape(w)}</li>" for w in self._warnings)
        self._skipped.value = (
            f'<div class="cl-warnings"><b>{escape(t("capstone_ui.board.skipped"))}</b><ul>{items}</ul></div>'
        )

    def _table_chart(self) -> alt.HConcatChart:
        """The ranked table as one chart: team, band and mean, the pillar holding the team back, the time."""
        records = [
            {
                "row": f"{row.rank}. {row.team}",
                "team": row.team,
                "mean": round(float(row.score.mean), 1),
                "p10": round(float(row.score.p10), 1),
                "p90": round(float(row.score.p90), 1),
                "spread": round(float(row.score.spread), 1),
                "weakest": pillar_label(row.score.weakest),
                "time": clock(row.submission.submitted_at) + (f" ({row.submissions}×)" if row.submissions > 1 else ""),
            }
            for row in self._rows
        ]
        order = [r["row"] for r in records]
        data = alt.Data(values=records)
        y = alt.Y("row:N", sort=order, title=None)
        height = {"step": ROW_HEIGHT}
        pick = alt.selection_point(name="pick", fields=["team"], on="click", clear="dblclick", empty=False)

        def header(key: str) -> dict:
            return {"text": t(f"capstone_ui.board.{key}"), "anchor": "start", "fontSize": 14, "color": MEAN_COLOR}

        band = alt.Chart(data).encode(y=y.axis(labelFontSize=15, labelLimit=260, labelFontWeight=600, ticks=False))
        scale = alt.Scale(domain=[0, 100])
        bands = (
            alt.layer(
                band.mark_bar(height=14, color=BAND_COLOR, cornerRadius=3).encode(
                    x=alt.X("p10:Q", scale=scale, title=None, axis=alt.Axis(values=[0, 25, 50, 75, 100], orient="top")),
                    x2="p90:Q",
                    tooltip=[alt.Tooltip("p10:Q", title=t("capstone_ui.board.band")), alt.Tooltip("p90:Q", title=" ")],
                ),
                band.mark_point(filled=True, size=110, color=MEAN_COLOR).encode(x=alt.X("mean:Q", scale=scale)),
                band.mark_text(dx=14, align="left", fontSize=14, fontWeight=600, color=MEAN_COLOR).encode(
                    x=alt.X("p90:Q", scale=scale), text=alt.Text("mean:Q", format=".0f")
                ),
            )
            .add_params(pick)
            .properties(width=470, height=height, title=header("chart_band"))
        )

        def column(field: str, key: str, width: int):
            return (
                alt.Chart(data)
                .mark_text(align="left", fontSize=14, color="#333")
                .encode(y=y.axis(None), x=alt.value(0), text=f"{field}:N")
                .properties(width=width, height=height, title=header(key))
            )

        return (
            alt.hconcat(bands, column("weakest", "weakest", 230), column("time", "time", 110), spacing=18)
            .resolve_scale(y="shared")
            .configure_view(stroke=None)
            .configure_axis(grid=True, gridColor="#eef1f5", domain=False)
        )

    def _show_detail(self) -> None:
        team = self._open.value
        row = next((r for r in self._rows if r.team == team), None)
        if row is None:
            self._detail.layout.display = "none"
            return
        median = scoring.median_row(self._rows)
        title_key = "detail_median_self" if median is None or median.team == row.team else "detail_title"
        title = t(f"capstone_ui.board.{title_key}", team=row.team, rank=row.rank, median=getattr(median, "team", ""))
        self._detail_title.value = f'<div class="cl-section">{escape(title)}</div>'
        self._detail_chart.spec = _trajectory_spec(row, median)
        self._detail_table.value = _plan_table(row, median)
        self._detail.layout.display = None


def _folder_signature(room: Path) -> tuple:
    """What changes when a file is added, replaced or removed in the room (names, sizes, modification times)."""
    try:
        entries = sorted(os.scandir(room), key=lambda e: e.name)
    except OSError:
        return ()
    signature = []
    for entry in entries:
        try:
            info = entry.stat()
        except OSError:
            continue
        signature.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(signature)


def _trajectory_spec(row, median) -> dict:
    """Two panels, seed 0: the health score day by day, and the share of the pillar holding the team back;
    the team's plan in blue, the median team's in grey dashes."""
    weakest = row.score.weakest
    runs = [("team", scoring.trajectory(row.params, seed=0))]
    if median is not None and median.team != row.team:
        runs.append(("median", scoring.trajectory(median.params, seed=0)))
    panels = []
    for key, title, scale in (
        ("health", t("capstone_ui.board.detail_health"), 1.0),
        ("weakest", t("capstone_ui.board.detail_weakest", pillar=pillar_label(weakest)), 100.0),
    ):
        records = []
        for who, run in runs:
            values = run.health if key == "health" else run.shares[weakest]
            step = max(1, len(run.day) // 180)  # a smooth curve needs no more points than this
            records += [
                {"day": int(day), "value": round(float(value) * scale, 2), "who": who}
                for day, value in zip(run.day[::step], values[::step])
            ]
        panels.append(
            alt.Chart(alt.Data(values=records))
            .mark_line(strokeWidth=2.2)
            .encode(
                x=alt.X("day:Q", title=t("common.day")),
                y=alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 100])),
                color=alt.Color(
                    "who:N", scale=alt.Scale(domain=["team", "median"], range=[TEAM_COLOR, MEDIAN_COLOR]), legend=None
                ),
                strokeDash=alt.StrokeDash(
                    "who:N", scale=alt.Scale(domain=["team", "median"], range=[[1, 0], [5, 3]]), legend=None
                ),
            )
            .properties(width=300, height=170, title=title)
        )
    return alt.hconcat(*panels).configure_view(stroke=None).configure_title(fontSize=13, anchor="start").to_dict()


def _plan_table(row, median) -> str:
    """The two plans' levers side by side; a lever where they differ is in bold."""
    other = median if median is not None and median.team != row.team else None
    head = (
        f'<tr><th class="cl-left">{escape(t("capstone_ui.board.lever"))}</th><th>{escape(row.team)}</th>'
        + (f"<th>{escape(other.team)}</th>" if other else "")
        + "</tr>"
    )
    lines = [head]
    for lever in capstone_plan.LEVERS:
        mine = getattr(row.params, lever.name, None)
        theirs = getattr(other.params, lever.name, None) if other else None
        style = ' style="font-weight:650"' if other and mine != theirs else ""
        lines.append(
            f'<tr{style}><td class="cl-left">{escape(lever_label(lever.name, lever.unit))}</td>'
            f"<td>{escape(_value(mine))}</td>" + (f"<td>{escape(_value(theirs))}</td>" if other else "") + "</tr>"
        )
    return f'<table class="cl-board-table">{"".join(lines)}</table>'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.2f}"
    return str(value)
