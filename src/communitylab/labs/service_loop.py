"""Lab 02: closed-loop service (model :mod:`communitylab.models.service_loop`).

The chart has two panels. On the left the members of the live run are stacked
by stage (loyal at the bottom, then active, then new), so the top edge of the
stack is the member count; a pinned run is drawn as a grey dashed line of its
member count, which is what lets "open loop" and "closed loop" be compared at a
glance. On the right are satisfaction and the share of issues answered, both on
a 0-1 scale; pinned runs add their satisfaction as ghost lines.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import altair as alt

from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import DATA_NAME, LIVE_COLOR, day_axis, ghost_layers, series_color
from communitylab.labs._predict import Number
from communitylab.models import service_loop

__all__ = ["ServiceLoopLab"]

#: Stages stacked in the left panel, bottom first, with their colours.
STAGES: tuple[tuple[str, str], ...] = (("loyal", "#1f4e79"), ("active", "#4f8fc8"), ("new", "#a9cbe8"))
#: Lines of the right panel (satisfaction is the one pinned runs are compared on).
QUALITY_LINES: tuple[tuple[str, str], ...] = (("satisfaction", LIVE_COLOR), ("answered", "#e08a1e"))
#: Most points drawn per series: longer runs are thinned to every k-th day (the curves are smooth),
#: which keeps a five-year run as quick to redraw as a one-year one.
MAX_POINTS = 366
PANEL_WIDTH = 300
PANEL_HEIGHT = 220


def _thin(values: list, step: int) -> list:
    """Every ``step``-th value, always keeping the last one (the day the monitors read)."""
    thinned = values[::step]
    if (len(values) - 1) % step:
        thinned.append(values[-1])
    return thinned


class ServiceLoopLab(ModelLab):
    """Members by stage, satisfaction and backlog over a year, with the loop open or closed."""

    model = service_loop
    monitors = (
        Monitor("members", "{:,.0f}"),
        Monitor("loyal_share_pct", "{:.0f} %"),
        Monitor("churned", "{:,.0f}"),
        Monitor("backlog_pct", "{:.0f} %"),
    )
    # Onboarding starts unfolded: its first slider moves the chart at the defaults, while the service
    # group's first one (issues per member) changes nothing until issues outrun the capacity, which
    # would leave a trainer's first key press, and the UI benchmark's, without a visible effect.
    open_groups = ("onboarding",)
    prediction = Number("members", lo=0, hi=1_000_000)
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "open_loop": {"loop_closure": 0.0},
        "closed_loop": {"loop_closure": 1.0},
        "no_follow_up": {"follow_up_share": 0.0},
        # about 13 issues a day by the end of the year against 2 answers: a busy group chat run by one volunteer
        "overloaded_group": {"issue_rate": 0.1, "answer_capacity": 2.0},
        "strong_word_of_mouth": {"word_of_mouth": 1.0, "referral_pull": 2.0},
    }

    # -- chart -------------------------------------------------------------------
    def chart_template(self, pin_names):
        x = day_axis()
        data = alt.Data(name=DATA_NAME)

        def panel_runs(panel: str, live: bool) -> alt.Chart:
            """The records of one panel: the live run's, or the pinned runs'."""
            scenario = (alt.datum.scenario == "live") if live else (alt.datum.scenario != "live")
            return alt.Chart(data).transform_filter((alt.datum.panel == panel) & scenario)

        def pinned_layers(panel: str) -> list:
            if not pin_names:
                return []
            return ghost_layers(panel_runs(panel, live=False).encode(x=x, y=alt.Y("value:Q")))

        stacks = (
            panel_runs("stocks", live=True)
            .mark_area(opacity=0.95)
            .encode(
                x=x,
                y=alt.Y("value:Q", stack="zero", title=None, axis=alt.Axis(format=",.0f")),
                color=series_color("stage:N", STAGES, "service_loop"),
                order=alt.Order("order:Q"),
            )
        )
        left = alt.layer(stacks, *pinned_layers("stocks")).properties(
            title=self.text("chart.stocks"), width=PANEL_WIDTH, height=PANEL_HEIGHT
        )

        quality = (
            panel_runs("quality", live=True)
            .mark_line(strokeWidth=2.4)
            .encode(
                x=x,
                y=alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".1f")),
                color=series_color("stage:N", QUALITY_LINES, "service_loop", label_limit=260),
            )
        )
        right = alt.layer(*pinned_layers("quality"), quality).properties(
            title=self.text("chart.quality"), width=PANEL_WIDTH, height=PANEL_HEIGHT
        )
        return (
            alt.hconcat(left, right, spacing=28)
            .resolve_scale(color="independent")
            .configure_view(stroke=None)
            .configure_title(fontSize=14, anchor="start")
        )

    def chart_records(self, result, pins):
        records: list[dict] = []
        step = max(1, math.ceil(len(result.day) / MAX_POINTS))
        days = _thin(result.day.tolist(), step)
        for order, (stage, _) in enumerate(STAGES):
            values = _thin(getattr(result, stage).tolist(), step)
            records.extend(
                {"panel": "stocks", "scenario": "live", "stage": stage, "order": order, "day": d, "value": v}
                for d, v in zip(days, values)
            )
        for line, _ in QUALITY_LINES:
            values = _thin(getattr(result, line).tolist(), step)
            records.extend(
                {"panel": "quality", "scenario": "live", "stage": line, "day": d, "value": v}
                for d, v in zip(days, values)
            )
        for name, run in pins:
            pin_step = max(1, math.ceil(len(run.day) / MAX_POINTS))
            pin_days = _thin(run.day.tolist(), pin_step)
            for panel, values in (("stocks", run.members), ("quality", run.satisfaction)):
                records.extend(
                    {"panel": panel, "scenario": name, "stage": "pinned", "day": d, "value": v}
                    for d, v in zip(pin_days, _thin(values.tolist(), pin_step))
                )
        return records
