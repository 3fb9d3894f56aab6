"""Lab 04: monetization (model :mod:`communitylab.models.monetization`).

Three panels side by side: the free audience (which hard selling erodes), the
paying members, and the cash collected so far (where the annual fee shows as
steps on the day members pay, and again at the renewal). Pinned runs are grey
dashed ghost lines in each panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import altair as alt
import numpy as np
import pandas as pd

from communitylab.i18n import t
from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import Panel, line_panels
from communitylab.labs._predict import Number
from communitylab.labs.show import label
from communitylab.models import monetization

__all__ = ["MonetizationLab", "plans_chart"]

#: Three panels must fit beside the 400 px control column at 1280 px, so each is narrower than lab 01's,
#: and the pinned runs' names are written inside the plot rather than to its right.
PANEL_WIDTH = 215
PANEL_HEIGHT = 230


class MonetizationLab(ModelLab):
    """Price, selling intensity and the annual fee: members, paying members and cash over a year."""

    model = monetization
    monitors = (
        Monitor("conversion_pct", "{:.2f} %"),
        Monitor("paid_churn_pct", "{:.1f} %"),
        Monitor("ltv_cac", "{:.1f}×"),
        Monitor("revenue", "¥{:,.0f}"),
    )
    open_groups = ("offer",)
    prediction = Number("revenue", lo=0, hi=1e9)
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "gentle_selling": {"selling_intensity": 0.1},
        "hard_sell": {"selling_intensity": 1.5},
        "annual_299": {"annual_plan": True, "annual_price": 299.0},
        "cheap_10": {"price": 10.0},
        "premium": {"price": 50.0},
    }

    def panels(self) -> tuple[Panel, ...]:
        """Free members, paying members, and cash collected so far (¥)."""
        return (
            Panel("free", self.text("chart.free_members"), axis_format=",.0f"),
            Panel("paid", self.text("chart.paid_members"), axis_format=",.0f"),
            Panel("cumulative_revenue", self.text("chart.cumulative_revenue_yuan"), axis_format=",.0f"),
        )

    def chart_template(self, pin_names):
        return line_panels(self.panels(), pin_names, width=PANEL_WIDTH, height=PANEL_HEIGHT, spacing=22)


#: Colours of the plans in lesson 04's comparison: selling first in red, value first in blue.
PLAN_COLORS = {"sell_first": "#c0392b", "value_first": "#1f77b4"}


def plans_chart(runs: Iterable[monetization.PlanRun], *, width: int = 300, height: int = 220) -> alt.HConcatChart:
    """Lesson 04's comparison of selling plans: members and cash collected so far, day by day.

    Parameters
    ----------
    runs : iterable of monetization.PlanRun
        Runs of :func:`communitylab.models.monetization.run_plan`; each plan's name is
        labelled by ``show.label.monetization.<name>``.
    width, height : int
        Size of each panel in pixels.

    Returns
    -------
    altair.HConcatChart
        Two panels (members; cash collected so far, ¥), titled in the current language.
    """
    frames, names, palette = [], [], []
    for run in runs:
        name = label("monetization", run.plan.name)
        names.append(name)
        palette.append(PLAN_COLORS.get(run.plan.name, "#777777"))
        # every seventh day: 105 points a line over two years draw the same curve as 730
        frames.append(
            pd.DataFrame(
                {
                    "day": np.arange(1, run.free.size + 1)[::7],
                    "members": run.members[::7],
                    "revenue": run.cumulative_revenue[::7],
                    "plan": name,
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    color = alt.Color(
        "plan:N",
        scale=alt.Scale(domain=names, range=palette),
        legend=alt.Legend(title=None, orient="top", direction="horizontal", labelLimit=300),
    )
    x = alt.X("day:Q", title=t("common.day"), axis=alt.Axis(values=[0, 90, 180, 365, 545, 730]))
    base = alt.Chart(data).mark_line(strokeWidth=2.2).encode(x=x, color=color)
    members = base.encode(y=alt.Y("members:Q", title=t("monetization.chart.members"), axis=alt.Axis(format=",.0f")))
    cash = base.encode(
        y=alt.Y("revenue:Q", title=t("monetization.chart.cumulative_revenue_yuan"), axis=alt.Axis(format=",.0f"))
    )
    return (
        alt.hconcat(members.properties(width=width, height=height), cash.properties(width=width, height=height))
        .properties(usermeta={"embedOptions": {"actions": False}})  # no export menu: a lesson stays offline
        .configure_view(stroke=None)
    )
