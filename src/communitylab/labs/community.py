"""Lab 08: the capstone workshop, all four pillars in one plan (model :mod:`communitylab.models.community`).

The chart is a 2 x 2 grid, one panel per question a team asks of its plan:

* **Members** of the community over the run, with the loyal ones as a shaded
  area underneath (service loop, lab 02).
* **Engaged members of the group** (participation, lab 03, fed by attention, lab 01).
* **Cash collected so far** (revenue, lab 04).
* **Health score by pillar**: the four components of the documented health
  score on the last day (listening, engagement, loyalty, economics; 0-100 %),
  one bar per pillar for the live plan and each pinned plan. The score is a
  course assumption (equal weights); the panel's point is *which pillar drags*.

Pinned plans are grey dashed ghost lines in the three time panels and grey bars
in the last one.
"""

from __future__ import annotations

from typing import Any, ClassVar

import altair as alt
import numpy as np

from communitylab.i18n import t
from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import DATA_NAME, LIVE_COLOR, day_axis, ghost_layers
from communitylab.models import community

__all__ = ["CommunityLab", "PILLARS"]

#: The health score's components, one per pillar in course order (see :func:`community.health_components`).
PILLARS: tuple[str, ...] = community.PILLARS
#: The three time panels: (panel key, result series), drawn left to right, top to bottom.
TIME_PANELS: tuple[tuple[str, str], ...] = (("members", "members"), ("engaged", "engaged"), ("cash", "revenue"))
LOYAL_COLOR = "#a9cbe8"
#: Most points drawn per series: a two-year run is thinned to every other day (the curves are smooth).
MAX_POINTS = 366
PANEL_WIDTH = 330
PANEL_HEIGHT = 150


class CommunityLab(ModelLab):
    """A team's plan for a year: members, engaged members, cash, and which pillar drags the health score.

    Examples
    --------
    >>> lab = CommunityLab()                                            # doctest: +SKIP
    >>> lab.apply_preset("sharp_niche_closed_loop").summary()["health_score"]  # doctest: +SKIP
    70.8...
    """

    model = community
    monitors = (
        Monitor("members", "{:,.0f}"),
        Monitor("engaged", "{:,.0f}"),
        Monitor("loyal_share_pct", "{:.0f} %"),
        Monitor("revenue", "¥{:,.0f}"),
        Monitor("health_score", "{:.0f}"),
    )
    # Positioning opens first: it is the first link of the chain, and its first slider (niche width) moves every
    # panel at the defaults (the participation group starts with the group size, already at its maximum).
    open_groups = ("positioning",)
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        # the group everyone has joined: broad topic, a flood of messages, selling in almost every one
        "loud_generic_hard_sell": {"niche_width": 0.3, "posts_per_day": 100.0, "selling_intensity": 1.5},
        "sharp_niche_closed_loop": {
            "niche_width": 0.03,
            "posts_per_day": 10.0,
            "checkin": True,
            "follow_up_share": 0.8,
            "loop_closure": 1.0,
        },
        # a huge audience from a famous founder, and nobody answering anyone
        "influencer_no_service": {"followers": 1_000_000, "follow_up_share": 0.0, "loop_closure": 0.0},
        "checkin_only": {"checkin": True},
        "five_moderators": {"moderators": 5},
        "premium_price": {"niche_width": 0.03, "checkin": True, "price": 100.0},
    }

    def __init__(self, seed: int = 0, lang: str | None = None, **params) -> None:
        super().__init__(seed=seed, lang=lang, **params)

    # -- chart -------------------------------------------------------------------
    def chart_template(self, pin_names):
        data = alt.Data(name=DATA_NAME)
        pinned_label = t("common.pinned")
        x = day_axis()
        formats = {"members": ",.0f", "engaged": ",.0f", "cash": ",.0f"}
        panels = []
        for panel, _ in TIME_PANELS:
            base = alt.Chart(data).transform_filter(alt.datum.panel == panel)
            y = alt.Y("value:Q", title=None, axis=alt.Axis(format=formats[panel]))
            layers = []
            if panel == "members":
                layers.append(
                    base.transform_filter(alt.datum.scenario == "live")
                    .mark_area(color=LOYAL_COLOR, opacity=0.9)
                    .encode(x=x, y=alt.Y("loyal:Q", title=None))
                )
            layers.append(
                base.transform_filter(alt.datum.scenario == "live")
                .mark_line(color=LIVE_COLOR, strokeWidth=2.4)
                .encode(x=x, y=y)
            )
            if pin_names:
                layers = [*ghost_layers(base.transform_filter(alt.datum.scenario != "live").encode(x=x, y=y)), *layers]
            panels.append(
                alt.layer(*layers).properties(title=self.text(f"chart.{panel}"), width=PANEL_WIDTH, height=PANEL_HEIGHT)
            )

        scenario_order = ["live", *pin_names]
        live_label = t("common.live").replace("'", "\\'")
        bars = (
            alt.Chart(data)
            .transform_filter(alt.datum.panel == "health")
            .mark_bar(height={"band": 0.8})
            .encode(
                y=alt.Y(
                    "pillar:N",
                    title=None,
                    sort=list(PILLARS),
                    axis=alt.Axis(labelExpr=_label_expr(PILLARS), labelLimit=150),
                ),
                yOffset=alt.YOffset("scenario:N", sort=scenario_order),
                x=alt.X(
                    "value:Q",
                    title=None,
                    scale=alt.Scale(domain=[0, 100]),
                    axis=alt.Axis(format=".0f", values=[0, 25, 50, 75, 100]),
                ),
                color=alt.Color(
                    "scenario:N",
                    sort=scenario_order,
                    scale=alt.Scale(
                        domain=scenario_order,
                        range=[LIVE_COLOR, *["#b5b5b5", "#8c8c8c", "#d0d0d0", "#6f6f6f"][: len(pin_names)]],
                    ),
                    legend=alt.Legend(
                        title=None,
                        orient="bottom",
                        direction="horizontal",
                        labelExpr=f"datum.label === 'live' ? '{live_label}' : '{pinned_label} ' + datum.label",
                    )
                    if pin_names
                    else None,
                ),
                tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("value:Q", format=".0f")],
            )
        )
        health = bars.properties(title=self.text("chart.health"), width=PANEL_WIDTH - 90, height=PANEL_HEIGHT)
        return (
            alt.vconcat(
                alt.hconcat(panels[0], panels[1], spacing=30), alt.hconcat(panels[2], health, spacing=30), spacing=16
            )
            .resolve_scale(color="independent", x="independent", y="independent")
            .configure_view(stroke=None)
            .configure_title(fontSize=14, anchor="start")
        )

    def chart_records(self, result, pins):
        records: list[dict] = []
        for scenario, run in [("live", result), *pins]:
            step = max(1, -(-len(run.day) // MAX_POINTS))
            days = _thin(run.day.tolist(), step)
            members = _thin(run.members.tolist(), step)
            if scenario == "live":
                loyal = _thin(run.loyal.tolist(), step)
                records.extend(
                    {"panel": "members", "scenario": scenario, "day": d, "value": v, "loyal": lo}
                    for d, v, lo in zip(days, members, loyal)
                )
            else:
                records.extend(
                    {"panel": "members", "scenario": scenario, "day": d, "value": v} for d, v in zip(days, members)
                )
            for panel, values in (("engaged", run.engaged), ("cash", np.cumsum(run.revenue))):
                records.extend(
                    {"panel": panel, "scenario": scenario, "day": d, "value": v}
                    for d, v in zip(days, _thin(values.tolist(), step))
                )
            components = community.health_components(run)
            records.extend(
                {"panel": "health", "scenario": scenario, "pillar": pillar, "value": 100 * components[pillar]}
                for pillar in PILLARS
            )
        return records

    def health_table(self):
        """The health score's components (0-100) of the live plan and each pinned plan, one row per plan.

        The score is the geometric mean of the six columns (each at least 1 %): a course assumption with equal weights.
        """
        import pandas as pd

        rows = []
        for name, run in [*self.pinned, (t("common.live"), self._result)]:
            components = community.health_components(run)
            rows.append(
                {
                    "plan": name,
                    **{p: round(100 * components[p], 1) for p in PILLARS},
                    "health_score": round(run.summary()["health_score"], 1),
                }
            )
        return pd.DataFrame(rows).set_index("plan")


def _thin(values: list, step: int) -> list:
    """Every ``step``-th value, always keeping the last one (the day the monitors read)."""
    thinned = values[::step]
    if (len(values) - 1) % step:
        thinned.append(values[-1])
    return thinned


def _label_expr(names) -> str:
    """A Vega expression that shows each pillar's translated name (the data stay untranslated)."""
    expression = "datum.label"
    for name in reversed(names):
        text = t(f"community.chart.pillar.{name}").replace("\\", "\\\\").replace("'", "\\'")
        expression = f"datum.label === '{name}' ? '{text}' : ({expression})"
    return expression
