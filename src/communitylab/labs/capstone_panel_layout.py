"""The widgets of lesson 08's plan panel: what is on the page, where it sits and what it says.

:class:`communitylab.labs.capstone_panel.CapstonePanel` is what the panel *does* (set levers, commit a
prediction, Try, Submit, redraw the budget and the score); this base class is what it *shows*: a slider per
lever under the module that taught it on the left, the budget, team, prediction and run sections on the right,
and the labels of all of them in the language in force. Kept apart so either can be read on its own and the
panel module stays under ~400 lines (issue 14.9).
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import ipywidgets as W

from communitylab import i18n
from communitylab.capstone import plan as capstone_plan
from communitylab.i18n import t
from communitylab.labs._style import LAB_CSS
from communitylab.labs._widgets import QuietUpdates, language_toggle, make_control
from communitylab.labs.capstone_display import lever_spec
from communitylab.labs.capstone_text import (
    CAPSTONE_CSS,
    escape,
    lever_help,
    lever_label,
    module_heading,
    pillar_label,
)
from communitylab.models import community
from communitylab.models._params import Spec

__all__ = ["PlanPanelLayout"]


class PlanPanelLayout(QuietUpdates, W.VBox):
    """The plan panel's widgets, laid out and labelled; the behavior is the subclass's (:class:`CapstonePanel`).

    Parameters
    ----------
    room : Path
        Room folder submissions go to (named in the note under the chart).
    seeds : int
        Seeds a Try scores over (named on the Try button).
    """

    def __init__(self, room: Path, seeds: int) -> None:
        self._room = room
        self._seeds = seeds
        self._levers = {lever.name: lever for lever in capstone_plan.LEVERS}
        self._controls: dict[str, W.ValueWidget] = {}

        self._title = W.HTML()
        self._language = language_toggle()
        self._levers_title = W.HTML()
        self._headings: dict[str, W.HTML] = {}
        lever_box = self._build_levers()
        self._budget_title = W.HTML()
        self._budget_html = W.HTML()
        self._team = W.Text(layout=W.Layout(width="96%"), style={"description_width": "110px"})
        self._team.add_class("cl-team")
        self._predict_title = W.HTML()
        self._predict_pillar = W.Dropdown(layout=W.Layout(width="96%"), style={"description_width": "210px"})
        self._predict_score = W.BoundedFloatText(
            value=50, min=0, max=100, step=1, layout=W.Layout(width="96%"), style={"description_width": "210px"}
        )
        self._commit_button = W.Button(button_style="info", layout=W.Layout(width="auto"))
        self._predict_note = W.HTML()
        self._run_title = W.HTML()
        self._try_button = W.Button(button_style="primary", layout=W.Layout(width="auto"))
        self._submit_button = W.Button(button_style="success", layout=W.Layout(width="auto"))
        self._status = W.HTML()
        self._monitors = {key: W.HTML() for key in ("score", "band", "weakest")}
        self._comparison = W.HTML()
        self._chart = alt.JupyterChart(alt.Chart().mark_bar(), embed_options={"renderer": "svg", "actions": False})
        self._chart.add_class("cl-chart")
        self._room_note = W.HTML()

        super().__init__(children=self._layout(lever_box))
        self.add_class("cl-lab")
        self.add_class("cl-capstone")

    def _spec(self, name: str) -> Spec:
        """The lever's slider metadata (range, step, whole numbers, on/off, log scale)."""
        return lever_spec(self._levers[name])

    def _pillar_names(self) -> list[str]:
        return list(community.PILLARS)

    def _build_levers(self) -> W.VBox:
        by_lesson: dict[str, list[W.Widget]] = {}
        for lever in sorted(capstone_plan.LEVERS, key=lambda lever: str(lever.lesson)):
            control = make_control(self._spec(lever.name), lever.default)
            control.add_class(f"cl-lever-{lever.name}")
            self._controls[lever.name] = control
            by_lesson.setdefault(str(lever.lesson), []).append(control)
        children: list[W.Widget] = [self._levers_title]
        for lesson, controls in by_lesson.items():
            heading = W.HTML()
            heading.add_class(f"cl-module-{lesson}")
            self._headings[lesson] = heading
            children += [heading, *controls]
        box = W.VBox(children, layout=W.Layout(width="470px", min_width="470px"))
        box.add_class("cl-sidebar")
        return box

    def _layout(self, lever_box: W.VBox) -> list[W.Widget]:
        header = W.HBox(
            [self._title, self._language], layout=W.Layout(justify_content="space-between", align_items="center")
        )
        header.add_class("cl-header")
        monitors = W.HBox(list(self._monitors.values()))
        monitors.add_class("cl-monitors")
        right = W.VBox(
            [
                self._budget_title,
                self._budget_html,
                self._team,
                self._predict_title,
                self._predict_pillar,
                self._predict_score,
                W.HBox([self._commit_button]),
                self._predict_note,
                self._run_title,
                W.HBox([self._try_button, self._submit_button], layout=W.Layout(align_items="center")),
                self._status,
                monitors,
                self._comparison,
                self._chart,
                self._room_note,
            ],
            layout=W.Layout(flex="1 1 auto", min_width="0", padding="0 0 0 8px"),
        )
        return [W.HTML(LAB_CSS + CAPSTONE_CSS), header, W.HBox([lever_box, right], layout=W.Layout(width="100%"))]

    def _label_widgets(self) -> None:
        """Write every fixed label, heading and tooltip in the language in force (keeps the chosen pillar)."""
        with self._quietly():
            self._language.value = i18n.get_lang()
            self._title.value = f'<h2 class="cl-title">{escape(t("capstone_ui.panel.title"))}</h2>'
            self._levers_title.value = f'<div class="cl-section">{escape(t("capstone_ui.panel.levers"))}</div>'
            for lesson, heading in self._headings.items():
                heading.value = f'<div class="cl-module-heading">{escape(module_heading(lesson))}</div>'
            for name, control in self._controls.items():
                control.description = lever_label(name, self._levers[name].unit)
                control.tooltip = lever_help(name)
            self._budget_title.value = f'<div class="cl-section">{escape(t("capstone_ui.panel.budget"))}</div>'
            self._team.description = t("capstone_ui.panel.team")
            self._team.placeholder = t("capstone_ui.panel.team_placeholder")
            self._predict_title.value = f'<div class="cl-section">{escape(t("capstone_ui.panel.predict_title"))}</div>'
            self._predict_pillar.description = t("capstone_ui.panel.predict_pillar")
            chosen = self._predict_pillar.value
            self._predict_pillar.options = [(pillar_label(p), p) for p in self._pillar_names()]
            self._predict_pillar.value = chosen if chosen is not None else self._pillar_names()[0]
            self._predict_score.description = t("capstone_ui.panel.predict_score")
            self._run_title.value = f'<div class="cl-section">{escape(t("capstone_ui.panel.run_title"))}</div>'
            self._try_button.description = t("capstone_ui.panel.try", seeds=self._seeds)
            self._try_button.tooltip = t("capstone_ui.panel.try_help", seeds=self._seeds)
            self._submit_button.description = t("capstone_ui.panel.submit")
            self._submit_button.tooltip = t("capstone_ui.panel.submit_help")
            self._room_note.value = (
                f'<div class="cl-note">{escape(t("capstone_ui.panel.room", room=str(self._room)))}</div>'
            )
