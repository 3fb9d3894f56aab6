"""What lesson 08's plan panel draws from a plan's numbers: the budget bars, the score cards and the pillar bars.

Pure functions of the numbers and the language in force, so the panel (:mod:`communitylab.labs.capstone_panel`)
only decides *when* to redraw, and these can be tested without widgets.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from communitylab.capstone import plan as capstone_plan
from communitylab.i18n import t
from communitylab.labs.capstone_text import escape, pillar_label
from communitylab.models._params import Spec

__all__ = ["lever_spec", "budget_html", "monitor_html", "comparison_html", "pillar_chart_spec"]

BAR_COLOR = "#1f77b4"
WEAK_COLOR = "#e08a1e"


def lever_spec(lever: capstone_plan.Lever) -> Spec:
    """A capstone lever as slider metadata (range, step, whole numbers, on/off, log scale)."""
    return Spec(
        unit=lever.unit,
        lo=lever.lo,
        hi=lever.hi,
        step=lever.step,
        integer=lever.kind == "integer",
        boolean=lever.kind == "flag",
        group=lever.group,
        log=lever.log,
    )


def budget_html(budget: capstone_plan.Budget) -> tuple[str, bool]:
    """Two bars, operator hours a week and yuan a month against their limits, red where a limit is exceeded.

    Returns the HTML and whether the plan is over budget (then it cannot be submitted).
    """
    lines, over = [], []
    for key, used, limit, field in (
        ("hours", budget.hours_per_week, capstone_plan.HOURS_PER_WEEK, "hours_per_week"),
        ("money", budget.yuan_per_month, capstone_plan.YUAN_PER_MONTH, "yuan_per_month"),
    ):
        is_over = field in budget.exceeded
        if is_over:
            over.append(t(f"capstone_ui.panel.{key}"))
        width = max(0.0, min(100.0, 100 * used / limit)) if limit else 100.0
        value = t(f"capstone_ui.panel.{key}_value", used=used, limit=limit)
        lines.append(
            f'<div class="cl-budget-line cl-budget-{key}"><span>{escape(t(f"capstone_ui.panel.{key}"))}</span>'
            f'<span class="{"cl-over-text" if is_over else ""}">{escape(value)}</span></div>'
            f'<div class="cl-bar{" cl-over" if is_over else ""}"><div style="width:{width:.1f}%"></div></div>'
        )
    if over:
        what = t("capstone_ui.panel.list_join").join(over)
        lines.append(f'<div class="cl-over-text">{escape(t("capstone_ui.panel.over_budget", what=what))}</div>')
    lines.append(f'<div class="cl-note">{escape(t("capstone_ui.panel.budget_note"))}</div>')
    return "".join(lines), bool(over)


def monitor_html(value: str, label: str) -> str:
    """One score card: the value large, its label under it."""
    return f'<div class="cl-monitor-value">{escape(value)}</div><div class="cl-monitor-label">{escape(label)}</div>'


def comparison_html(prediction: tuple[str, float], score: Any, stale: bool) -> str:
    """The team's committed prediction beside the model's result, with the question to discuss.

    Parameters
    ----------
    prediction : (str, float)
        The pillar the team expected to hold it back and the health score it expected (0-100).
    score : communitylab.capstone.scoring.Score
        The last Try's score.
    stale : bool
        Whether levers moved since that Try (then a note asks for a new one).
    """
    pillar, guess = prediction
    compare = t(
        "capstone_ui.panel.compare",
        pillar=escape(pillar_label(pillar)),
        score=guess,
        weakest=escape(pillar_label(score.weakest)),
        mean=score.mean,
        p10=score.p10,
        p90=score.p90,
    )
    hint = t("capstone_ui.panel.compare_hit" if pillar == score.weakest else "capstone_ui.panel.compare_miss")
    note = f'<div class="cl-note">{escape(t("capstone_ui.panel.stale"))}</div>' if stale else ""
    return f'<div class="cl-compare">{compare}<br>{escape(hint)}</div>{note}'


def pillar_chart_spec(pillars: list[str], score: Any = None, seeds: int = 20) -> dict:
    """Bars of each pillar's share (0-100 %), the weakest one in orange; empty axes before the first Try.

    Parameters
    ----------
    pillars : list of str
        Pillar names in the model's order.
    score : communitylab.capstone.scoring.Score, optional
        The last Try's score (``pillars`` shares 0-1 and ``weakest``).
    seeds : int
        Seeds the score is averaged over, for the title.
    """
    shares = score.pillars if score is not None else {}
    records = [
        {
            "pillar": pillar_label(name),
            "share": 100 * float(shares[name]) if name in shares else None,
            "weakest": score is not None and name == score.weakest,
        }
        for name in pillars
    ]
    chart = (
        alt.Chart(alt.Data(values=records))
        .mark_bar()
        .encode(
            y=alt.Y("pillar:N", title=None, sort=[r["pillar"] for r in records], axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "share:Q", title=None, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=[0, 25, 50, 75, 100])
            ),
            color=alt.Color(
                "weakest:N", scale=alt.Scale(domain=[False, True], range=[BAR_COLOR, WEAK_COLOR]), legend=None
            ),
            tooltip=[alt.Tooltip("pillar:N", title=None), alt.Tooltip("share:Q", format=".0f", title=None)],
        )
        .properties(width=380, height=22 * len(records), title=t("capstone_ui.panel.chart_title", seeds=seeds))
        .configure_view(stroke=None)
        .configure_title(fontSize=13, anchor="start")
    )
    return chart.to_dict()
