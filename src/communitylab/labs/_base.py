"""The shared frame of every lab: controls from parameter metadata, monitors, chart, Info.

A lab is a thin layer over one model. A subclass names its model, the monitors to
show, how to draw a result, and optionally presets; everything else (sliders
with units and ranges, the seed box, Reset, the language switch, pinning runs as
ghost lines, CSV export, the Info panel with NetLogo's headings, driving the lab
from code) lives here once, with two mixins: :mod:`~communitylab.labs._lab_layout`
(the controls, the page's layout, the labels and the Info panel) and
:mod:`~communitylab.labs._scenarios` (pinned runs and their export).

The chart is a :class:`~communitylab.labs._offline.LabChart`: a Vega-Lite template sent when the
language or the pinned runs change, and records sent on every change, which the page swaps into
the running chart. Results are never redrawn through ``Output`` widgets (that pattern stalled
Voila page loads in the toolchain probe).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, ClassVar

import altair as alt
import ipywidgets as W

from communitylab import i18n
from communitylab.i18n import t
from communitylab.labs._charts import DATA_NAME, Panel, line_panels, line_records
from communitylab.labs._lab_layout import INFO_SECTIONS, LabLayout
from communitylab.labs._offline import LabChart
from communitylab.labs._predict import Prediction, PredictionPanel
from communitylab.labs._scenarios import ScenarioPins
from communitylab.labs._widgets import QuietUpdates, close_descendants, language_toggle
from communitylab.models._params import Spec

__all__ = ["Monitor", "ModelLab", "INFO_SECTIONS"]

_EMBED_OPTIONS = {"renderer": "svg", "actions": False}


@dataclass(frozen=True)
class Monitor:
    """A big-number display of one ``summary()`` value.

    Attributes
    ----------
    key : str
        Key in the model's ``summary()``; its label is ``<model>.monitor.<key>``.
    fmt : str
        Format of the number, e.g. ``"{:.2f} %"``.
    nan_text : str, optional
        Catalog key of the text shown instead when the value is NaN (e.g. a day that
        never comes: ``summary()`` says NaN, the monitor says "never").
    """

    key: str
    fmt: str = "{:,.1f}"
    nan_text: str | None = None

    def format(self, value: Any) -> str:
        """The monitor's text for ``value`` in the current language."""
        if self.nan_text is not None and isinstance(value, float) and math.isnan(value):
            return t(self.nan_text)
        return self.fmt.format(value)

    def render(self, summary: Mapping[str, Any]) -> str:
        """The monitor's text for a run's ``summary()``; override to combine several values."""
        return self.format(summary[self.key])


class ModelLab(ScenarioPins, LabLayout, QuietUpdates, W.VBox):
    """Base class of the labs; see the module docstring.

    Subclasses set ``model`` (the model module) and ``monitors``, and say what the chart draws: either
    :meth:`panels` (side-by-side line panels of the result's series, the default chart) or their own
    :meth:`chart_template` and :meth:`chart_records`. They may set ``presets`` (``{catalog_key: {field: value}}``),
    ``open_groups`` (groups whose controls start unfolded) and ``prediction`` (the question the learner answers
    before running the lab, see :mod:`communitylab.labs._predict`).

    Parameters
    ----------
    seed : int
        Seed of the first run.
    lang : str, optional
        ``"en"`` or ``"zh_CN"``; by default the language in force (see :mod:`communitylab.i18n`).
    **params
        Starting parameter values (validated like the model's ``Params``).

    Examples
    --------
    Every lab is driven from code the same way (lab 02 here; its presets are listed in ``presets``):

    >>> lab = ServiceLoopLab()                                   # doctest: +SKIP
    >>> lab.apply_preset("open_loop").summary()["members"]       # doctest: +SKIP
    115.27...
    """

    model: ClassVar[ModuleType]
    monitors: ClassVar[tuple[Monitor, ...]] = ()
    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    open_groups: ClassVar[tuple[str, ...]] = ()
    prediction: ClassVar[Prediction | None] = None
    #: Whether a slider recomputes while it is dragged (True) or when it is let go (False): off, for every
    #: lab, decided by benchmarks/bench_drag.py (section "drag" of benchmarks/results.json; a one-second
    #: drag of each lab's first slider, 20 moves 40 ms apart, 2-core laptop with other sessions running).
    #: On would be affordable: every lab redraws while the hand moves (first redraw after 45-100 ms instead
    #: of at the release, 1.2 s in) for 13-21 values sent and 75-175 messages back per drag instead of 1
    #: and 8-10, and no lab falls behind. But with it on, ipywidgets 8 sliders also send their value
    #: snapped to the slider's grid whenever they are drawn or the kernel moves them, not only when a person
    #: drags: before anyone touched them, labs 01, 03, 04 and 05 sent 5, 7, 4 and 4 such values, and
    #: lab 03 opened on "quiet on day 56" where its lesson says 57. Presets, Reset and ``lab.set(...)`` from
    #: exercise cells would be overwritten the same way, in labs 02 and 06 too (they start on their grids).
    #: The lessons' numbers come first; a lab whose every value lies on its sliders' grids could turn it on.
    continuous_update: ClassVar[bool] = False

    def __init__(self, seed: int = 0, lang: str | None = None, **params: Any) -> None:
        if lang is not None:
            i18n.set_lang(lang)
        self._params = self.model.Params(**params)
        self._seed = int(seed)
        self._pins: list[tuple[str, Any, int]] = []
        self._updating = False
        self._controls: dict[str, W.ValueWidget] = {}
        self._control_specs: dict[str, Spec] = self.model.Params.specs()

        self._title = W.HTML()
        self._language = language_toggle()
        self._preset = W.Dropdown(layout=W.Layout(width="385px"))  # preset names are short sentences
        self._seed_box = W.BoundedIntText(value=self._seed, min=0, max=2**31 - 1, layout=W.Layout(width="200px"))
        self._reset_button = W.Button(layout=W.Layout(width="auto"))
        self._pin_button = W.Button(layout=W.Layout(width="auto"))
        self._clear_button = W.Button(layout=W.Layout(width="auto"))
        self._export_button = W.Button(layout=W.Layout(width="auto", display="none"))
        self._export_link = W.HTML()
        self._status = W.HTML()
        self._monitor_boxes = {m.key: W.HTML() for m in self.monitors}
        self._groups = W.Accordion(children=self._build_controls())
        self._info = W.HTML()
        self._info_box = W.Accordion(children=[self._info], selected_index=0)
        model_name = self.model.Params.model
        self._prediction = PredictionPanel(self.prediction, model_name, self.monitors) if self.prediction else None

        self._result = self.model.simulate(self._params, seed=self._seed)
        self._template_key: tuple | None = None  # the template is built by the first _show_result
        self._chart = LabChart({}, data_name=DATA_NAME, embed_options=_EMBED_OPTIONS)
        self._chart.add_class("cl-chart")

        self._wire()
        super().__init__(children=self._layout())
        self.add_class("cl-lab")
        self._relabel(i18n.get_lang())
        self._unsubscribe = i18n.on_lang_change(self._handle_lang_change)
        self._show_result(elapsed_ms=None)

    # -- public API (used by notebooks, exercises and tests) ---------------------
    def close(self) -> None:
        """Stop following language switches and close the lab and its widgets, so the kernel can free them."""
        # ipywidgets also calls close() from __del__, on a lab whose __init__ may have failed early
        getattr(self, "_unsubscribe", lambda: None)()
        close_descendants(self)
        super().close()

    @property
    def result(self):
        """The model result currently shown."""
        return self._result

    @property
    def params(self):
        """The parameters of the run currently shown."""
        return self._params

    @property
    def seed(self) -> int:
        """The seed of the run currently shown."""
        return self._seed

    @property
    def prediction_panel(self) -> PredictionPanel | None:
        """The learner's prediction and its comparison with the run now shown (``None`` if the lab asks none)."""
        return self._prediction

    @property
    def chart(self) -> LabChart:
        """The chart widget; its ``spec`` is the Vega-Lite spec now drawn."""
        return self._chart

    @property
    def chart_data(self) -> list[dict]:
        """The records the chart now draws (see :func:`communitylab.labs._charts.line_records`)."""
        return self._chart.records

    def set(self, seed: int | None = None, **changes: Any) -> Any:
        """Change parameters (and optionally the seed), recompute once, and return the result.

        Raises
        ------
        ValueError
            If a value is invalid; nothing changes in that case.
        """
        new_params = self._params.replace(**changes) if changes else self._params
        self._apply(new_params, self._seed if seed is None else int(seed))
        return self._result

    def reset(self) -> Any:
        """Return every parameter to its default (the seed is kept) and recompute."""
        self._apply(self.model.Params(), self._seed)
        with self._quietly():
            self._preset.value = ""
        return self._result

    def apply_preset(self, key: str) -> Any:
        """Apply a named preset: defaults, then the preset's changes."""
        if key not in self.presets:
            raise KeyError(f"unknown preset {key!r}; known: {', '.join(self.presets)}")
        self._apply(self.model.Params(**self.presets[key]), self._seed)
        with self._quietly():
            self._preset.value = key
        return self._result

    def monitor_values(self) -> dict[str, str]:
        """The monitors' texts as shown, by summary key (for tests and exercises)."""
        summary = self._result.summary()
        return {m.key: m.render(summary) for m in self.monitors}

    # -- for subclasses ----------------------------------------------------------
    def panels(self) -> tuple[Panel, ...]:
        """The line panels of the default chart, titled in the current language (override, or override the chart)."""
        raise NotImplementedError

    def chart_template(self, pin_names: list[str]) -> alt.TopLevelMixin:
        """The chart, reading the named dataset ``DATA_NAME``, for these pinned runs.

        Called only when the language or the set of pins changes; its compiled spec is reused. By default the
        :meth:`panels` side by side (:func:`~communitylab.labs._charts.line_panels`); override for another chart.
        """
        return line_panels(self.panels(), pin_names)

    def chart_records(self, result: Any, pins: list[tuple[str, Any]]) -> list[dict]:
        """The records the template draws, for the live run and the pinned ones.

        By default the :meth:`panels`' series (:func:`~communitylab.labs._charts.line_records`); override
        together with :meth:`chart_template`.
        """
        return line_records(result, pins, self.panels())

    def series_frame(self, result: Any):
        """The per-day series of ``result`` as a tidy DataFrame: day, series, value."""
        import pandas as pd

        frames = [
            pd.DataFrame({"day": result.day, "series": name, "value": values})
            for name, values in result.series().items()
        ]
        return pd.concat(frames, ignore_index=True)

    def text(self, key: str, **values: Any) -> str:
        """A message of this lab's model, e.g. ``self.text("monitor.read_share_pct")``."""
        return t(f"{self.model.Params.model}.{key}", **values)

    # -- building ----------------------------------------------------------------
    def _wire(self) -> None:
        for control in self._controls.values():
            control.observe(self._handle_control_change, names="value")
        self._seed_box.observe(self._handle_seed_change, names="value")
        self._language.observe(self._handle_language_toggle, names="value")
        self._preset.observe(self._handle_preset_change, names="value")
        self._reset_button.on_click(lambda _: self.reset())
        self._pin_button.on_click(lambda _: self.pin())
        self._clear_button.on_click(lambda _: self.clear_pins())
        self._export_button.on_click(self._handle_export_click)

    # -- event handlers ------------------------------------------------------------
    def _handle_control_change(self, change: dict) -> None:
        if self._updating:
            return
        values = {
            # a log slider over whole numbers (members, followers) lands between them: round
            name: round(control.value) if self._control_specs[name].integer else control.value
            for name, control in self._controls.items()
        }
        try:
            new_params = self.model.Params(**values)
        except ValueError as error:
            self._status.value = f'<span class="cl-error">{t("common.invalid_value", message=error)}</span>'
            return
        with self._quietly():
            self._preset.value = ""
        self._apply(new_params, self._seed)

    def _handle_seed_change(self, change: dict) -> None:
        if not self._updating:
            self._apply(self._params, int(change["new"]))

    def _handle_preset_change(self, change: dict) -> None:
        if not self._updating and change["new"]:
            self.apply_preset(change["new"])

    def _handle_language_toggle(self, change: dict) -> None:
        if not self._updating:
            i18n.set_lang(change["new"])  # every lab on the page relabels through the listener

    def _handle_lang_change(self, lang: str) -> None:
        self._relabel(lang)
        self._show_result(elapsed_ms=None)

    # -- updating --------------------------------------------------------------------
    def _apply(self, params: Any, seed: int) -> None:
        started = time.perf_counter()
        result = self.model.simulate(params, seed=seed)
        self._params, self._seed, self._result = params, seed, result
        with self._quietly():
            for name, control in self._controls.items():
                value = getattr(params, name)
                if control.value != value:
                    control.value = value
            if self._seed_box.value != seed:
                self._seed_box.value = seed
        self._show_result(elapsed_ms=1000 * (time.perf_counter() - started))

    def _show_result(self, elapsed_ms: float | None) -> None:
        pins = self.pinned
        key = (i18n.get_lang(), tuple(name for name, _ in pins))
        template = None
        if key != self._template_key:
            # validated and sent once per language and set of pins; a slider move sends only the records
            template = self.chart_template([name for name, _ in pins]).to_dict()
            self._template_key = key
        # the chart's message goes first: the page redraws it while the monitors' messages arrive
        self._chart.update(self.chart_records(self._result, pins), template=template)
        summary = self._result.summary()
        for monitor in self.monitors:
            self._monitor_boxes[monitor.key].value = (
                f'<div class="cl-monitor-value">{monitor.render(summary)}</div>'
                f'<div class="cl-monitor-label">{self.text(f"monitor.{monitor.key}")}</div>'
            )
        self._status.value = (
            f'<span class="cl-status">{t("common.recomputed_in", ms=elapsed_ms)}</span>'
            if elapsed_ms is not None
            else ""
        )
        self._export_button.layout.display = None if self._pins else "none"
        self._export_link.value = ""
        if self._prediction is not None:
            self._prediction.update(summary)
