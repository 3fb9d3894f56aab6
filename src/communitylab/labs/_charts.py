"""Chart builders shared by the labs: the live line plus pinned runs as grey ghost lines.

A chart is split in two so a slider move never pays for altair's schema
validation (about 100 ms per chart on the workshop laptop): a *template*, built
and validated once per language and set of pinned runs, that reads the named
dataset :data:`DATA_NAME`; and the *records*, plain dicts recomputed on every
change and dropped into the compiled spec (see ``ModelLab._show_result``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np

from communitylab.i18n import t

__all__ = ["DATA_NAME", "Panel", "day_axis", "ghost_layers", "line_panels", "line_records", "series_color"]

#: Name of the dataset every lab chart template reads.
DATA_NAME = "lab"
LIVE_COLOR = "#1f77b4"
GHOST_COLOR = "#8c8c8c"
PANEL_WIDTH = 330
PANEL_HEIGHT = 230


@dataclass(frozen=True)
class Panel:
    """One small-multiple panel.

    Attributes
    ----------
    series : str
        Name of the result series (``result.series()`` key) to plot.
    title : str
        Panel title (already translated).
    scale : float
        Multiplier applied to the values (e.g. 100 for a percentage).
    axis_format : str
        d3 format of the y axis, e.g. ``".1f"``.
    unit : str
        Unit of the values (already translated), drawn as the y axis title; empty: no axis title.
        For a unit too long for the panel title of a narrow panel.
    """

    series: str
    title: str
    scale: float = 1.0
    axis_format: str = ",.2~f"
    unit: str = ""


def line_records(result, pins: Sequence[tuple[str, object]], panels: Sequence[Panel]) -> list[dict]:
    """Records ``{panel, scenario, day, value}`` of the live run and every pinned run.

    The live scenario is called ``"live"`` and pinned ones by their pin name; the
    template translates nothing in the data, so records never depend on the language.
    """
    records: list[dict] = []
    for scenario, run in [("live", result), *pins]:
        days = run.day.tolist()
        series = run.series()
        for panel in panels:
            values = (np.asarray(series[panel.series], dtype=float) * panel.scale).tolist()
            records.extend(
                {"panel": panel.series, "scenario": scenario, "day": d, "value": v} for d, v in zip(days, values)
            )
    return records


def day_axis(title: str | None = None) -> alt.X:
    """The x encoding of a daily series: the axis ends on the last simulated day, not a rounder one."""
    return alt.X("day:Q", title=title or t("common.day"), scale=alt.Scale(nice=False))


def series_color(
    field: str, series: Sequence[tuple[str, str]], model: str, label_limit: int | None = None
) -> alt.Color:
    """Colour encoding of named series, with a legend on top that shows each name translated.

    The records keep the untranslated names (so they never depend on the language); the legend's
    ``labelExpr`` swaps in the catalog text ``<model>.chart.<name>`` when the template is built.

    Parameters
    ----------
    field : str
        The records' field holding the series name, with its type, e.g. ``"stage:N"``.
    series : sequence of (str, str)
        Each series' name and CSS colour, in legend order.
    model : str
        The model whose catalog names the series.
    label_limit : int, optional
        Widest legend label in pixels; Vega-Lite's default (160) when not given.

    Returns
    -------
    altair.Color
    """
    names = [name for name, _ in series]
    expression = "datum.label"
    for name in reversed(names):
        text = t(f"{model}.chart.{name}").replace("\\", "\\\\").replace("'", "\\'")
        expression = f"datum.label === '{name}' ? '{text}' : ({expression})"
    return alt.Color(
        field,
        scale=alt.Scale(domain=names, range=[color for _, color in series]),
        legend=alt.Legend(
            title=None,
            orient="top",
            direction="horizontal",
            labelExpr=expression,
            labelFontSize=12,
            labelLimit=alt.Undefined if label_limit is None else label_limit,
        ),
    )


def ghost_layers(pinned: alt.Chart, x_field: str = "day") -> list:
    """Pinned runs drawn from ``pinned`` (a chart already filtered to them, with x and y encoded):
    dashed grey lines, each labelled "pinned A" at its last point, inside the plot so that a
    third panel never pushes the label off the page."""
    pinned_label = t("common.pinned")
    lines = pinned.mark_line(color=GHOST_COLOR, strokeDash=[5, 3], strokeWidth=1.6, opacity=0.85).encode(
        detail="scenario:N"
    )
    labels = (
        pinned.transform_window(rank="rank()", sort=[alt.SortField(x_field, order="descending")], groupby=["scenario"])
        .transform_filter(alt.datum.rank == 1)
        .transform_calculate(label=f"'{pinned_label} ' + datum.scenario")
        .mark_text(align="right", baseline="bottom", dx=-2, dy=-5, color=GHOST_COLOR, fontSize=11)
        .encode(text="label:N")
    )
    return [lines, labels]


def line_panels(
    panels: Sequence[Panel],
    pin_names: Sequence[str],
    x_title: str | None = None,
    width: int = PANEL_WIDTH,
    height: int = PANEL_HEIGHT,
    spacing: int = 20,
):
    """Template of side-by-side line charts reading :data:`DATA_NAME`.

    Parameters
    ----------
    panels : sequence of Panel
        Which series to draw, in order.
    pin_names : sequence of str
        Names of the pinned runs (each gets a dashed grey line and a label).
    x_title : str, optional
        Title of the x axis; defaults to the catalog's "Day".
    width, height : int
        Size of each panel in pixels.
    spacing : int
        Gap between panels in pixels.

    Returns
    -------
    altair.HConcatChart
    """
    charts = []
    for panel in panels:
        base = (
            alt.Chart(alt.Data(name=DATA_NAME))
            .transform_filter(alt.datum.panel == panel.series)
            .encode(
                x=day_axis(x_title),
                y=alt.Y("value:Q", title=panel.unit or None, axis=alt.Axis(format=panel.axis_format)),
            )
        )
        live = base.transform_filter(alt.datum.scenario == "live").mark_line(color=LIVE_COLOR, strokeWidth=2.4)
        layers = [live]
        if pin_names:
            layers = [*ghost_layers(base.transform_filter(alt.datum.scenario != "live")), live]
        charts.append(alt.layer(*layers).properties(title=panel.title, width=width, height=height))
    return (
        alt.hconcat(*charts, spacing=spacing).configure_view(stroke=None).configure_title(fontSize=14, anchor="start")
    )
