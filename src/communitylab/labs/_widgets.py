"""Widget helpers every page of the course shares: the language switch, closing a page's widgets, quiet updates,
and a parameter's slider built from its metadata (labs, the dashboard, the landing page, the capstone pages).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W

from communitylab import i18n
from communitylab.models._params import Spec

__all__ = ["language_toggle", "close_descendants", "QuietUpdates", "make_control"]

_LANG_CHOICES = (("English", "en"), ("中文", "zh_CN"))


def language_toggle() -> W.ToggleButtons:
    """The English / 中文 switch every lab, the dashboard and the landing page show, set to the language in force."""
    return W.ToggleButtons(options=_LANG_CHOICES, value=i18n.get_lang(), style={"button_width": "72px"})


def close_descendants(widget: W.Widget) -> None:
    """Close every widget inside ``widget`` (not ``widget`` itself).

    ipywidgets keeps every widget it ever made until it is closed; a lab's sliders hold the lab through their
    observers, so a lab is freed (and stops listening to language switches) only when all of them are closed.
    """
    for child in getattr(widget, "children", ()):
        close_descendants(child)
        child.close()


class QuietUpdates:
    """Mixin for a page that sets its own widgets from code: inside :meth:`_quietly` their handlers stay still.

    Without it, relabelling a dropdown or moving a slider to a preset would fire the handler that a learner's
    own change fires, and run the model again (or reload a dataset) for nothing.
    """

    _updating: bool = False

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Within the block, widget changes made by code do not trigger their handlers."""
        previous, self._updating = self._updating, True
        try:
            yield
        finally:
            self._updating = previous


def make_control(spec: Spec, value: Any, continuous_update: bool = False) -> W.ValueWidget:
    """A slider (or checkbox) whose range, step and scale come from the parameter metadata.

    ``continuous_update`` applies to sliders (see ``ModelLab.continuous_update``); a typed number
    is sent when the learner presses Enter or leaves the box, never digit by digit."""
    style = {"description_width": "145px"}
    layout = W.Layout(width="100%")
    if spec.boolean:
        return W.Checkbox(value=bool(value), indent=False, style=style, layout=layout)
    if spec.integer and spec.log and spec.lo <= 0:
        # 0 to millions (e.g. founding members): no log scale reaches 0, and a linear slider
        # moving one person at a time is useless, so the number is typed.
        return W.BoundedIntText(
            value=int(value), min=int(spec.lo), max=int(spec.hi), step=int(spec.step), style=style, layout=layout
        )
    if spec.log and spec.lo > 0:  # a range that includes 0 (e.g. "no newcomers") has no log scale: linear
        return W.FloatLogSlider(
            value=value,
            base=10,
            min=math.log10(spec.lo),
            max=math.log10(spec.hi),
            step=0.01,
            style=style,
            layout=layout,
            readout_format=",.0f" if spec.integer else ".3g",
            continuous_update=continuous_update,
        )
    if spec.integer:
        return W.IntSlider(
            value=int(value),
            min=int(spec.lo),
            max=int(spec.hi),
            step=int(spec.step),
            style=style,
            layout=layout,
            continuous_update=continuous_update,
        )
    decimals = max(0, -math.floor(math.log10(spec.step))) if spec.step < 1 else 0
    return W.FloatSlider(
        value=value,
        min=spec.lo,
        max=spec.hi,
        step=spec.step,
        style=style,
        layout=layout,
        readout_format=f".{decimals}f",
        continuous_update=continuous_update,
    )
