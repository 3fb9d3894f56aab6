"""Finished output for lesson cells: a run's numbers with their labels and units, in the lesson's language.

A code cell whose last value is a dict, a numpy number or a DataFrame shows that value's
``repr`` in a Voila page: code names, ``np.float64(...)``, twelve decimals and no unit.
:func:`show` turns the numbers a lesson presents into what a reader expects, from the
same sources the labs use:

* the **label** of a number is ``show.label.<model>.<key>`` when the catalog has one,
  else the lab's monitor label ``<model>.monitor.<key>``, else the parameter's label
  and unit (a parameter column of a sweep);
* its **text** is ``show.value.<model>.<key>`` (a format with the unit in each language)
  when the catalog has one, else a plain format that reads the same in every language,
  else the format of the lab's monitor for that key, else the dashboard's own formatting
  (model ``"dashboard"``), else a plain number.

:func:`line_chart` draws a sweep with axis titles from the same labels, so a Chinese
lesson never shows an English axis.

Examples
--------
>>> from communitylab.models import attention
>>> show(attention.simulate(attention.Params()), "attention")          # doctest: +SKIP
>>> table = attention.sweep(attention.Params(), "groups_per_day", [0, 0.5, 1])
>>> show(table, "attention", fields=("groups_per_day", "read_share_pct"))  # doctest: +SKIP
"""

from __future__ import annotations

import html
import importlib
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from communitylab import i18n
from communitylab.i18n import t

__all__ = ["Shown", "show", "label", "format_value", "line_chart"]

#: Units that are no unit to a reader: a fraction or a probability is clear from the label.
_SAYS_NO_UNIT = frozenset({"", "fraction", "probability", "0-1", "0-2"})
#: Numbers no monitor formats that read the same in every language. Anything with a word, a unit
#: or a percent sign (Chinese writes 30%, English 30 %) is in the catalogs instead: ``show.value.*``.
_PLAIN_FORMATS: dict[str, dict[str, str]] = {
    "attention": {"groups": "{:,.0f}"},
    "service_loop": {"satisfaction": "{:.2f}", "joined": "{:,.0f}"},
    "participation": {"posts_last_day": "{:,.1f}"},
    "monetization": {
        "ltv": "¥{:,.0f}",
        "cac_paid": "¥{:,.0f}",
        "first_year_cash": "¥{:,.0f}",
        "paid_members": "{:,.0f}",
        "day": "{:.0f}",
        "start_day": "{:.0f}",
        "members": "{:,.0f}",
        "paying": "{:,.0f}",
        "cash_so_far": "¥{:,.0f}",
    },
    "brand": {
        "direct_scanners_mean": "{:,.0f}",
        "reproduction_number": "{:.2f}",
        "year": "{:.0f}",
        "groups": "{:,.0f}",
        "crowding": "{:.2f}",
    },
    "migration": {"value_total": "{:,.0f}", "week": "{:.0f}", "moved": "{:,.0f}"},
}

_STYLE = (
    "<style>.cl-show{border-collapse:collapse;margin:4px 0 10px 0;font-size:0.95em}"
    ".cl-show th,.cl-show td{padding:3px 12px;border-bottom:1px solid #e3e8ef;text-align:right}"
    ".cl-show th{font-weight:600;color:#1f4e79;vertical-align:bottom}"
    ".cl-show td.cl-show-label{text-align:left;color:#333}"
    ".cl-show td.cl-show-value{font-weight:600;color:#1f4e79}</style>"
)


class Shown:
    """A finished table: rendered as HTML in a notebook or Voila, as aligned text elsewhere.

    Attributes
    ----------
    header : tuple of str, or None
        Column titles; ``None`` for a two-column list of labelled values.
    rows : list of tuple of str
        The cells, already formatted.
    """

    def __init__(self, header: Sequence[str] | None, rows: list[tuple[str, ...]]) -> None:
        self.header = tuple(header) if header is not None else None
        self.rows = rows

    def _repr_html_(self) -> str:
        cells = []
        if self.header is not None:
            # a blank first title marks a column of labels (runs side by side): it reads left-aligned
            first = ' class="cl-show-label"' if self.header and self.header[0] == "" else ""
            cells.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in self.header) + "</tr>")
            cells += [
                "<tr>"
                + "".join(f"<td{first if i == 0 else ''}>{html.escape(c)}</td>" for i, c in enumerate(row))
                + "</tr>"
                for row in self.rows
            ]
        else:
            cells += [
                f'<tr><td class="cl-show-label">{html.escape(name)}</td>'
                f'<td class="cl-show-value">{html.escape(value)}</td></tr>'
                for name, value in self.rows
            ]
        return f'{_STYLE}<table class="cl-show">{"".join(cells)}</table>'

    def __repr__(self) -> str:
        lines = [self.header, *self.rows] if self.header is not None else self.rows
        widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))] if lines else []
        return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in lines)


def show(value: Any, model: str, *, fields: Iterable[str] | None = None) -> Shown:
    """A run's numbers, or a table of runs, labelled and formatted in the current language.

    Parameters
    ----------
    value : mapping, DataFrame, or object with ``summary()``
        A model result (its ``summary()`` is shown), a summary dict, a sweep table
        (one row per run; a named index becomes the first column), or a mapping of
        named results or summaries, shown side by side (the names are labels too).
    model : str
        Model whose labels and units apply: ``"attention"``, ``"brand"``, ... or ``"dashboard"``.
    fields : iterable of str, optional
        The keys or columns to show, in this order; by default all of them.

    Returns
    -------
    Shown
        Displays as an HTML table; its ``rows`` hold the formatted text.
    """
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if any(name is not None for name in value.index.names) else value
        columns = list(fields) if fields is not None else list(frame.columns)
        rows = [tuple(format_value(model, key, row[key]) for key in columns) for _, row in frame.iterrows()]
        return Shown([label(model, key) for key in columns], rows)
    numbers = _summary(value)
    if numbers is None:
        raise TypeError(f"show() takes a result, a summary dict or a DataFrame, not {type(value).__name__}")
    columns = {name: _summary(run) for name, run in numbers.items()}
    if columns and all(column is not None for column in columns.values()):  # several runs side by side
        keys = list(fields) if fields is not None else list(next(iter(columns.values())))
        header = ["", *(label(model, name) for name in columns)]
        rows = [(label(model, key), *(format_value(model, key, run[key]) for run in columns.values())) for key in keys]
        return Shown(header, rows)
    keys = list(fields) if fields is not None else list(numbers)
    return Shown(None, [(label(model, key), format_value(model, key, numbers[key])) for key in keys])


def _summary(value: Any) -> Mapping | None:
    """The numbers of a result (its ``summary()``) or of a mapping; ``None`` for anything else."""
    numbers = value.summary() if hasattr(value, "summary") else value
    return numbers if isinstance(numbers, Mapping) else None


def label(model: str, key: str) -> str:
    """The reader's name of a number or parameter, in the current language (units of parameters included)."""
    for catalog_key in (f"show.label.{model}.{key}", f"{model}.monitor.{key}"):
        if i18n.has(catalog_key) or i18n.has(catalog_key, i18n.DEFAULT_LANG):
            return t(catalog_key)
    spec = _param_specs(model).get(key)
    if spec is not None:
        params = _params_class(model)
        name = t(params.label_key(key))
        unit = t(f"common.unit.{spec.unit}") if spec.unit not in _SAYS_NO_UNIT else ""
        # "Members (members)" says nothing twice: a unit the label already names is left out
        return t("show.with_unit", label=name, unit=unit) if unit and unit.lower() not in name.lower() else name
    warnings.warn(f"no label for {model}.{key}; add show.label.{model}.{key} to the catalogs", stacklevel=2)
    return key


def _has_label(model: str, key: str) -> bool:
    """Whether the catalogs name ``key`` in lesson tables of ``model``."""
    catalog_key = f"show.label.{model}.{key}"
    return i18n.has(catalog_key) or i18n.has(catalog_key, i18n.DEFAULT_LANG)


def format_value(model: str, key: str, value: Any) -> str:
    """The text of one number as a reader sees it, with its unit, in the current language."""
    spec = _param_specs(model).get(key)
    if isinstance(value, str):  # a name in a table (e.g. who launched): its reader's label when there is one
        return label(model, value) if _has_label(model, value) else value
    if isinstance(value, bool | np.bool_) or (spec is not None and spec.boolean):
        return t("show.yes") if value else t("show.no")
    number = float(value)
    monitor = _monitors(model).get(key)
    if key.endswith("_h"):  # a time in hours: minutes below an hour, "never" for a run that never gets there
        from communitylab.labs.brand import format_hours

        return format_hours(number)
    if not math.isfinite(number):
        return t(monitor.nan_text) if monitor is not None and monitor.nan_text else t("show.missing")
    catalog_key = f"show.value.{model}.{key}"
    if i18n.has(catalog_key) or i18n.has(catalog_key, i18n.DEFAULT_LANG):
        return t(catalog_key, value=number, pct=100 * number)
    if key in _PLAIN_FORMATS.get(model, {}):
        return _PLAIN_FORMATS[model][key].format(number)
    if monitor is not None:
        return monitor.format(number)
    if model == "dashboard":
        # the dashboard's own formatting, so a lesson's table and the big numbers above it agree
        from communitylab.labs.dashboard import format_value as dashboard_value

        return dashboard_value(key, number)
    if (spec is not None and spec.integer) or number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"


def line_chart(
    table: pd.DataFrame,
    x: str,
    y: str,
    model: str,
    *,
    log_x: bool = False,
    width: int = 420,
    height: int = 220,
) -> alt.Chart:
    """A line with points of ``y`` against ``x`` (a sweep table), both axes titled in the current language.

    Columns ending in ``_pct`` are percentages: their axis title says so.
    """
    titles = {
        key: t("show.with_unit", label=label(model, key), unit="%") if key.endswith("_pct") else label(model, key)
        for key in (x, y)
    }
    scale = alt.Scale(type="log") if log_x else alt.Undefined
    return (
        alt.Chart(table[[x, y]])
        .mark_line(point=True)
        .encode(x=alt.X(f"{x}:Q", title=titles[x], scale=scale), y=alt.Y(f"{y}:Q", title=titles[y]))
        # no export menu: one of its entries opens an online editor, and a lesson stays offline
        .properties(width=width, height=height, usermeta={"embedOptions": {"actions": False}})
    )


@cache
def _params_class(model: str):
    from communitylab.models import MODELS, get_model

    return get_model(model).Params if model in MODELS else None


def _param_specs(model: str) -> dict:
    params = _params_class(model)
    return params.specs() if params is not None else {}


@cache
def _monitors(model: str) -> dict:
    """The monitors of the lab built on ``model``, by summary key (empty when there is no such lab)."""
    from communitylab.labs._base import ModelLab

    try:
        module = importlib.import_module(f"communitylab.labs.{model}")
    except ModuleNotFoundError:
        return {}
    labs = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, ModelLab) and obj.__module__ == module.__name__
    ]
    return {monitor.key: monitor for lab in labs for monitor in lab.monitors}
