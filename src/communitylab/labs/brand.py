"""Lab 05: personal brand, filling a group through a QR code (model :mod:`communitylab.models.brand`).

The model is a Monte Carlo over launches, not one trajectory, so the chart shows
distributions over runs:

* **Left: fill curves.** The share of runs that have reached the scan limit and
  a full group by each hour after posting, on a log-scaled hours axis (an
  influencer gets there in minutes, an ordinary account in a day or two, if at
  all). Pinned runs are grey dashed curves.
* **Right: the direct wave.** Followers who scanned directly, per run (mean as a
  bar, the 10th to 90th percentile as a whisker), for the live run and each pin,
  against the scan limit as a red rule: a bar past the rule means the direct wave
  alone fills the scan limit, with no forwarding needed.

The model's own curves sit on a linear hours grid made for its own horizon; the
lab recomputes them on one fixed log-spaced grid (:func:`fill_curves`) so that
runs of very different speed share one axis and every curve has the same ~120
points, whatever the number of runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import altair as alt
import numpy as np

from communitylab.i18n import t
from communitylab.labs._base import ModelLab, Monitor
from communitylab.labs._charts import DATA_NAME, GHOST_COLOR, series_color
from communitylab.labs._predict import Choice
from communitylab.models import brand

__all__ = ["BrandLab", "HoursMonitor", "fill_curves", "HOURS_GRID"]

#: First and last hour of the fill-curve axis: 36 seconds (an influencer's first scans) to about
#: three weeks (the 7-day QR validity plus the slowest invitations).
HOURS_MIN, HOURS_MAX = 0.01, 500.0
#: The hours at which the lab evaluates the fill curves (log-spaced, 121 points).
HOURS_GRID = np.geomspace(HOURS_MIN, HOURS_MAX, 121)
#: The two curves per run, with the colour of the live one.
CURVES: tuple[tuple[str, str], ...] = (("scan_cap", "#e08a1e"), ("full", "#1f77b4"))
RULE_COLOR = "#c0392b"
PANEL_HEIGHT = 230
LEFT_WIDTH = 380
RIGHT_WIDTH = 200


def fill_curves(result: brand.Result, hours: np.ndarray = HOURS_GRID) -> dict[str, np.ndarray]:
    """Share of runs that reached the scan limit and a full group by each of ``hours``.

    The same empirical CDF as the model's ``scan_cap_probability`` and
    ``full_probability`` (:func:`communitylab.models.brand.fill_probability`), on a
    caller's grid instead of the model's linear one.

    Parameters
    ----------
    result : brand.Result
        A model run.
    hours : (n,) ndarray of float
        Hours after posting.

    Returns
    -------
    dict
        ``scan_cap`` and ``full``: (n,) arrays of shares of runs in [0, 1].
    """
    return {
        "scan_cap": brand.fill_probability(result.hours_to_scan_cap, hours),
        "full": brand.fill_probability(result.hours_to_full, hours),
    }


def format_hours(value: float) -> str:
    """A time in hours as an operator reads it: seconds below a minute, minutes below an hour, "never" if never."""
    if not math.isfinite(value):
        return t("brand.monitor_text.never")
    if value < 1 / 60:  # "under a minute" is the article's own figure: keep the seconds
        return t("brand.monitor_text.seconds", value=3600 * value)
    if value < 1:
        return t("brand.monitor_text.minutes", value=60 * value)
    return t("brand.monitor_text.hours", value=value)


@dataclass(frozen=True)
class HoursMonitor(Monitor):
    """A median time in hours; the model reports ``inf`` when fewer than half of the runs get there."""

    def format(self, value: Any) -> str:
        return format_hours(float(value))


@dataclass(frozen=True)
class ReproductionMonitor(Monitor):
    """R, with a word on which side of 1 it is (the threshold the module teaches)."""

    def render(self, summary: Mapping[str, Any]) -> str:
        r = summary[self.key]
        side = "supercritical" if r > 1 else "subcritical"
        # the note on its own small line: beside the number it wrapped in the narrow monitor box
        return (
            f'{r:.2f}<div style="font-size: 0.42em; font-weight: 500; line-height: 1.3">'
            f"{t(f'brand.monitor_text.{side}')}</div>"
        )


class BrandLab(ModelLab):
    """A QR-code launch run a thousand times: how soon the scan limit and a full group are reached."""

    model = brand
    monitors = (
        HoursMonitor("scan_cap_median_h"),
        HoursMonitor("full_median_h"),
        Monitor("fill_pct", "{:.0f} %"),
        ReproductionMonitor("reproduction_number"),
    )
    # The audience opens first: its first slider (followers) moves the direct-wave bar at the defaults, where
    # no run reaches the scan limit and the forwarding sliders leave the chart unchanged.
    open_groups = ("audience",)
    # an hour, a day; the median is infinite when fewer than half of the runs fill the group
    prediction = Choice("full_median_h", bounds=(1, 24), never=True)
    presets: ClassVar[dict[str, dict[str, Any]]] = {
        "ordinary": {},
        # the model note's [proto] "ordinary person who pushes": R = 0.8 * 150 * 0.1 * 0.1 = 1.2
        "ordinary_push": {"followers": 500, "reach": 0.6, "join_rate": 0.2, "forward_share": 0.8},
        "influencer": {"followers": 200_000, "reach": 0.05, "join_rate": 0.1, "view_timescale_h": 0.5},
        # R = 1.0 * 150 * 0.1 * 0.1 = 1.5
        "viral": {"forward_share": 1.0},
        "scan_cap_100": {
            "followers": 200_000,
            "reach": 0.05,
            "join_rate": 0.1,
            "view_timescale_h": 0.5,
            "scan_cap": 100,
        },
        "qr_24h": {"followers": 500, "reach": 0.6, "join_rate": 0.2, "forward_share": 0.8, "qr_expiry_h": 24},
    }

    # -- chart -------------------------------------------------------------------
    def chart_template(self, pin_names):
        data = alt.Data(name=DATA_NAME)
        pinned_label = t("common.pinned")
        x = alt.X(
            "hours:Q",
            title=self.text("chart.hours_axis"),
            scale=alt.Scale(type="log", domain=[HOURS_MIN, HOURS_MAX], nice=False),
            axis=alt.Axis(values=[0.01, 0.1, 1, 6, 24, 168], format="~g", labelExpr=_hours_label_expr()),
        )
        y = alt.Y("share:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
        curves = alt.Chart(data).transform_filter(alt.datum.panel == "curves")
        live = (
            curves.transform_filter(alt.datum.scenario == "live")
            .mark_line(strokeWidth=2.4, interpolate="step-after")
            .encode(
                x=x,
                y=y,
                color=series_color("curve:N", CURVES, "brand", label_limit=220),
            )
        )
        layers = [live]
        if pin_names:
            ghosts = (
                curves.transform_filter(alt.datum.scenario != "live")
                .mark_line(
                    color=GHOST_COLOR, strokeDash=[5, 3], strokeWidth=1.6, opacity=0.85, interpolate="step-after"
                )
                .encode(x=x, y=y, detail="key:N")
            )
            labels = (
                alt.Chart(data)
                .transform_filter(alt.datum.panel == "pin_label")
                .transform_calculate(label=f"'{pinned_label} ' + datum.scenario")
                .mark_text(align="left", dx=4, dy=-6, color=GHOST_COLOR, fontSize=11)
                .encode(x=x, y=y, text="label:N")
            )
            layers = [ghosts, labels, live]
        # an empty chart needs a sentence: "no run got there" is the lesson for an ordinary account
        note = (
            alt.Chart(data)
            .transform_filter(alt.datum.panel == "note")
            .mark_text(align="center", baseline="middle", color="#555555", fontSize=12, lineBreak="\n")
            .encode(
                x=alt.value(LEFT_WIDTH / 2),
                y=alt.value(PANEL_HEIGHT * 0.45),
                text=alt.value(self.text("chart.no_run_there")),
            )
        )
        layers.append(note)
        left = alt.layer(*layers).properties(
            title=self.text("chart.fill_curves"), width=LEFT_WIDTH, height=PANEL_HEIGHT
        )

        scenario_order = ["live", *pin_names]
        scenario_label = t("common.live").replace("'", "\\'")
        y_scenario = alt.Y(
            "scenario:N",
            title=None,
            sort=scenario_order,
            axis=alt.Axis(labelExpr=f"datum.label === 'live' ? '{scenario_label}' : '{pinned_label} ' + datum.label"),
        )
        x_scans = alt.X(
            "mean:Q",
            title=self.text("chart.direct_axis"),
            scale=alt.Scale(type="symlog", domain=[0, 5000], nice=False, clamp=True),
            axis=alt.Axis(values=[0, 10, 100, 1000], format=",d"),
        )
        wave = alt.Chart(data).transform_filter(alt.datum.panel == "direct")
        bars = wave.mark_bar(height=16).encode(
            x=x_scans,
            y=y_scenario,
            color=alt.condition(alt.datum.scenario == "live", alt.value("#4f8fc8"), alt.value("#bdbdbd")),
        )
        whiskers = wave.mark_rule(color="#333333", strokeWidth=1.4).encode(
            x=alt.X("p10:Q", scale=alt.Scale(type="symlog", domain=[0, 5000], nice=False, clamp=True)),
            x2="p90:Q",
            y=y_scenario,
        )
        cap = (
            wave.transform_filter(alt.datum.scenario == "live")
            .mark_rule(color=RULE_COLOR, strokeWidth=2, strokeDash=[4, 2])
            .encode(x=alt.X("scan_cap:Q"))
        )
        cap_label = (
            wave.transform_filter(alt.datum.scenario == "live")
            .transform_calculate(label=f"'{self.text('chart.scan_cap_rule')} ' + datum.scan_cap")
            .mark_text(align="left", baseline="top", dx=3, y=2, color=RULE_COLOR, fontSize=11)
            .encode(x=alt.X("scan_cap:Q"), text="label:N")
        )
        right = alt.layer(bars, whiskers, cap, cap_label).properties(
            title=self.text("chart.direct_wave"), width=RIGHT_WIDTH, height=PANEL_HEIGHT
        )
        return (
            alt.hconcat(left, right, spacing=24)
            .resolve_scale(x="independent", y="independent", color="independent")
            .configure_view(stroke=None)
            .configure_title(fontSize=14, anchor="start")
        )

    def chart_records(self, result, pins):
        records: list[dict] = []
        hours = HOURS_GRID.tolist()
        for scenario, run in [("live", result), *pins]:
            curves = fill_curves(run)
            for name, _ in CURVES:
                records.extend(
                    {
                        "panel": "curves",
                        "scenario": scenario,
                        "curve": name,
                        "key": f"{scenario}-{name}",
                        "hours": h,
                        "share": s,
                    }
                    for h, s in zip(hours, curves[name].tolist())
                )
            if scenario != "live":
                records.append(_pin_label(scenario, curves))
            elif curves["scan_cap"][-1] == 0:
                records.append({"panel": "note", "scenario": "live"})
            scans = run.direct_scanners
            p10, p90 = np.quantile(scans, [0.1, 0.9])
            records.append(
                {
                    "panel": "direct",
                    "scenario": scenario,
                    "mean": float(scans.mean()),
                    "p10": float(p10),
                    "p90": float(p90),
                    "scan_cap": run.params.scan_joins,
                }
            )
        return records

    # -- export: the model's series run over hours, not days ---------------------------
    def series_frame(self, result):
        """The fill curves of ``result`` on the lab's hours grid as a tidy DataFrame: hours, series, value."""
        import pandas as pd

        frames = [
            pd.DataFrame({"hours": HOURS_GRID, "series": f"{name}_probability", "value": values})
            for name, values in fill_curves(result).items()
        ]
        return pd.concat(frames, ignore_index=True)


def _pin_label(scenario: str, curves: dict[str, np.ndarray]) -> dict:
    """Where a pinned run's name goes: where its full-group curve levels off (or its scan-limit curve)."""
    for name in ("full", "scan_cap"):
        values = curves[name]
        if values[-1] > 0:
            index = int(np.argmax(values >= values[-1]))
            return {
                "panel": "pin_label",
                "scenario": scenario,
                "hours": float(HOURS_GRID[index]),
                "share": float(values[-1]),
            }
    # never got anywhere: name it on the floor at the right
    return {"panel": "pin_label", "scenario": scenario, "hours": 50.0, "share": 0.0}


def _hours_label_expr() -> str:
    """Axis labels in the operator's units: 36 s, 6 min, 1 h, 6 h, 1 day, 1 week."""
    labels = {
        0.01: t("brand.chart.tick_36s"),
        0.1: t("brand.chart.tick_6min"),
        1: t("brand.chart.tick_1h"),
        6: t("brand.chart.tick_6h"),
        24: t("brand.chart.tick_1d"),
        168: t("brand.chart.tick_1w"),
    }
    expression = "datum.label"
    for value, text in labels.items():
        text = text.replace("'", "\\'")
        expression = f"abs(datum.value - {value}) < {value / 1000} ? '{text}' : ({expression})"
    return expression
