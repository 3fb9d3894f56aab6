"""Lesson 08's plan panel: a team sets its levers, commits a prediction, scores the plan and submits it to the room.

Everything a team can change is a lever of :data:`communitylab.capstone.plan.LEVERS`, shown under the module
that taught it. Two bars show the plan's cost against the budget (operator hours a week, yuan a month; what each
lever costs is a course assumption of :mod:`communitylab.capstone.plan`); a plan over either limit cannot be
submitted. The team first writes down which pillar it expects to hold it back and the score it expects
(predict, then run); **Try** scores the plan over many seeds and shows that prediction beside the mean, its
10-90 % band and the weakest pillar; **Submit** writes the plan to the room folder, where the leaderboard
(:mod:`communitylab.labs.capstone_board`) picks it up. A team may submit as often as it likes: the latest counts.

The panel works the same from code (``panel.set(...)``, ``panel.predict(...)``, ``panel.try_plan()``,
``panel.submit()``), which is how the tests and the lesson's checks drive it. This module is what the panel
does; its widgets, their places and their labels are :mod:`communitylab.labs.capstone_panel_layout`'s.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from communitylab import i18n
from communitylab.capstone import plan as capstone_plan
from communitylab.capstone import room as capstone_room
from communitylab.capstone import scoring
from communitylab.i18n import t
from communitylab.labs._offline import enable_offline_charts
from communitylab.labs.capstone_display import (
    budget_html,
    comparison_html,
    monitor_html,
    pillar_chart_spec,
)
from communitylab.labs.capstone_panel_layout import PlanPanelLayout
from communitylab.labs.capstone_text import (
    clock,
    escape,
    lever_label,
    pillar_label,
    room_folder,
    unit_text,
)
from communitylab.models import community

__all__ = ["CapstonePanel"]

#: Seeds a Try scores over: the leaderboard's own number, so a team sees what the room will see.
SEEDS = 20


class CapstonePanel(PlanPanelLayout):
    """The plan panel of lesson 08; see the module docstring.

    Parameters
    ----------
    room : path, optional
        Room folder submissions go to (default ``$COMMUNITYLAB_ROOM``, else the capstone's default folder).
    lang : str, optional
        ``"en"`` or ``"zh_CN"``; by default the language in force.
    seeds : int
        Seeds a Try scores over.
    """

    def __init__(self, room: str | os.PathLike | None = None, lang: str | None = None, seeds: int = SEEDS) -> None:
        enable_offline_charts()
        if lang is not None:
            i18n.set_lang(lang)
        self._score: scoring.Score | None = None
        self._scored_levers: dict[str, Any] | None = None
        self._prediction: tuple[str, float] | None = None
        self._status_key: tuple[str, dict] | None = None
        self._updating = False
        self._over_budget = False
        super().__init__(room_folder(room), int(seeds))  # builds and lays out the widgets
        self._chart.spec = self._chart_spec()
        self._wire()
        self._relabel()
        # a bound method: i18n holds it weakly, so a panel dropped without close() stops relabelling
        self._unsubscribe = i18n.on_lang_change(self._handle_lang_change)

    # -- public API (lesson cells, tests) -------------------------------------------
    @property
    def levers(self) -> dict[str, Any]:
        """The lever values now set, by lever name."""
        values = {}
        for name, control in self._controls.items():
            spec = self._spec(name)
            value = control.value
            values[name] = bool(value) if spec.boolean else (round(value) if spec.integer else float(value))
        return values

    @property
    def room(self) -> Path:
        """The room folder this panel submits to."""
        return self._room

    @property
    def budget(self):
        """The plan's :class:`~communitylab.capstone.plan.Budget` (hours a week, yuan a month, whether it fits)."""
        return capstone_plan.budget(community.Params(**self.levers))

    @property
    def score(self):
        """The last Try's :class:`~communitylab.capstone.scoring.Score`, or ``None``."""
        return self._score

    @property
    def prediction(self) -> tuple[str, float] | None:
        """The committed prediction ``(pillar, score)``, or ``None``."""
        return self._prediction

    @property
    def submit_enabled(self) -> bool:
        """Whether Submit can be pressed now (a prediction is committed and the plan fits the budget)."""
        return not self._submit_button.disabled

    @property
    def status_text(self) -> str:
        """The message under the buttons, as HTML."""
        return self._status.value

    def set(self, **levers: Any) -> dict[str, Any]:
        """Set levers by name, as a team would with the sliders; returns every lever's value.

        Raises
        ------
        ValueError
            Naming the lever by its label, and its range, if a name is unknown or a value is outside the
            lever's range (the plan's own check, :func:`~communitylab.capstone.plan.lever_value`); nothing
            changes in that case.
        """
        checked = {}
        for name, value in levers.items():
            try:
                checked[name] = capstone_plan.lever_value(name, value)
            except capstone_plan.PlanError as error:
                if name in self._levers:  # the panel names a lever by its label, as its slider does
                    message = error.retold(lever=lever_label(name), unit=unit_text(self._levers[name].unit))
                else:
                    message = str(error)
                raise ValueError(t("capstone_ui.panel.not_applied", message=message)) from None
        with self._quietly():
            for name, value in checked.items():
                self._controls[name].value = value
        self._plan_changed()
        return self.levers

    def predict(self, pillar: str, score: float) -> None:
        """Commit a prediction: the pillar expected to hold the plan back and the expected health score (0-100)."""
        if pillar not in [value for _, value in self._predict_pillar.options]:
            raise ValueError(f"unknown pillar {pillar!r}")
        with self._quietly():
            self._predict_pillar.value = pillar
            self._predict_score.value = float(score)
        self._commit_prediction()

    def try_plan(self):
        """Score the plan over the panel's seeds and show it beside the prediction; returns the Score."""
        if self._prediction is None:
            self._set_status("capstone_ui.panel.predict_needed", error=True)
            return None
        levers = self.levers
        params = community.Params(**levers)
        self._status.value = f'<span class="cl-note">{escape(t("capstone_ui.panel.scoring", seeds=self._seeds))}</span>'
        self._score = scoring.score(params, seeds=self._seeds)
        self._scored_levers = levers
        self._status_key = None
        self._status.value = ""
        self._show_score()
        return self._score

    def submit(self, team: str | None = None) -> Path | None:
        """Write the plan to the room under the team's name; returns the file, or ``None`` with the reason shown."""
        if team is not None:
            with self._quietly():
                self._team.value = team
        name = self._team.value.strip()
        if not name:
            self._set_status("capstone_ui.panel.no_team", error=True)
            return None
        if self._prediction is None:
            self._set_status("capstone_ui.panel.predict_needed", error=True)
            return None
        try:
            params = capstone_plan.make_plan(self.levers)
        except (capstone_plan.PlanError, ValueError) as error:
            self._set_status("capstone_ui.panel.not_submitted", error=True, message=str(error))
            return None
        try:
            path = capstone_room.submit(self._room, name, params)
        except capstone_plan.PlanError as error:  # a team name a file cannot carry
            self._set_status("capstone_ui.panel.not_submitted", error=True, message=str(error))
            return None
        except OSError as error:
            self._set_status(
                "capstone_ui.panel.room_error", error=True, room=str(self._room), message=error.strerror or error
            )
            return None
        self._set_status("capstone_ui.panel.submitted", team=name, time=clock(Path(path).stat().st_mtime))
        return Path(path)

    def close(self) -> None:
        """Stop following the language and close the widgets."""
        getattr(self, "_unsubscribe", lambda: None)()
        super().close()

    # -- wiring --------------------------------------------------------------------------
    def _wire(self) -> None:
        for control in self._controls.values():
            control.observe(lambda _change: self._plan_changed(), names="value")
        self._team.observe(lambda _change: self._refresh_buttons(), names="value")
        self._language.observe(self._handle_language_toggle, names="value")
        self._commit_button.on_click(lambda _b: self._toggle_prediction())
        self._try_button.on_click(lambda _b: self.try_plan())
        self._submit_button.on_click(lambda _b: self.submit())

    # -- events -------------------------------------------------------------------------
    def _handle_lang_change(self, _lang: str) -> None:
        self._relabel()

    def _handle_language_toggle(self, change: dict) -> None:
        if not self._updating:
            i18n.set_lang(change["new"])  # every widget on the page relabels through the listener

    def _plan_changed(self) -> None:
        if self._updating:
            return
        if self._status_key is not None and self._status_key[0] == "capstone_ui.panel.submitted":
            self._status_key, self._status.value = None, ""
        self._show_budget()
        self._show_score()

    def _toggle_prediction(self) -> None:
        if self._prediction is None:
            self._commit_prediction()
        else:
            self._prediction = None
            self._predict_pillar.disabled = self._predict_score.disabled = False
            self._show_prediction()
            self._show_score()

    def _commit_prediction(self) -> None:
        self._prediction = (self._predict_pillar.value, float(self._predict_score.value))
        self._predict_pillar.disabled = self._predict_score.disabled = True
        if self._status_key is not None and self._status_key[0] == "capstone_ui.panel.predict_needed":
            self._status_key, self._status.value = None, ""
        self._show_prediction()
        self._show_score()

    def _set_status(self, key: str, error: bool = False, **values: Any) -> None:
        self._status_key = (key, {**values, "_error": error})
        self._render_status()

    def _render_status(self) -> None:
        if self._status_key is None:
            self._status.value = ""
            return
        key, values = self._status_key
        values = dict(values)
        error = values.pop("_error")
        text = escape(t(key, **values))
        self._status.value = f'<div class="{"cl-error" if error else "cl-ok"}">{text}</div>'

    # -- showing ---------------------------------------------------------------------------
    def _relabel(self) -> None:
        self._label_widgets()
        self._show_prediction()
        self._show_budget()
        self._show_score()
        self._render_status()

    def _show_prediction(self) -> None:
        if self._prediction is None:
            self._commit_button.description = t("capstone_ui.panel.predict_commit")
            self._predict_note.value = f'<div class="cl-note">{escape(t("capstone_ui.panel.predict_needed"))}</div>'
        else:
            pillar, score = self._prediction
            self._commit_button.description = t("capstone_ui.panel.predict_again")
            text = t("capstone_ui.panel.predict_done", pillar=pillar_label(pillar), score=score)
            self._predict_note.value = f'<div class="cl-ok">{escape(text)}</div>'
        self._refresh_buttons()

    def _show_budget(self) -> None:
        self._budget_html.value, self._over_budget = budget_html(self.budget)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        predicted = self._prediction is not None
        self._try_button.disabled = not predicted
        self._submit_button.disabled = not predicted or self._over_budget

    def _show_score(self) -> None:
        score = self._score
        if score is None or self._prediction is None:
            self._set_monitors("–", "–", "–")
            self._comparison.value = f'<div class="cl-note">{escape(t("capstone_ui.panel.waiting"))}</div>'
            self._chart.spec = self._chart_spec()
            return
        self._set_monitors(
            f"{score.mean:.0f}",
            t("capstone_ui.panel.band_value", p10=score.p10, p90=score.p90),
            pillar_label(score.weakest),
        )
        stale = self._scored_levers is not None and self._scored_levers != self.levers
        self._comparison.value = comparison_html(self._prediction, score, stale)
        self._chart.spec = self._chart_spec(score)

    def _set_monitors(self, score: str, band: str, weakest: str) -> None:
        self._monitors["score"].value = monitor_html(score, t("capstone_ui.panel.score", seeds=self._seeds))
        self._monitors["band"].value = monitor_html(band, t("capstone_ui.panel.band"))
        self._monitors["weakest"].value = monitor_html(weakest, t("capstone_ui.panel.weakest"))

    def _chart_spec(self, score=None) -> dict:
        return pillar_chart_spec(self._pillar_names(), score, self._seeds)
