"""Predict, then run: the learner commits a prediction, then reads it beside the model's result.

Predicting before looking is what turns a lab from a demonstration into an experiment: a learner who wrote
"within a day" and then sees "never" has something to explain. A lab declares one question, as data:

* :class:`Choice`: three or four options, each a range of one ``summary()`` value (e.g. "within four weeks",
  "one to three months", "never");
* :class:`Number`: a number in the question's unit (members, ¥, %), matched within a relative tolerance.

:class:`PredictionPanel` asks it above the lab, locks the answer on **Commit**, and from then on shows
"You predicted: X · The model: Y" for the run now shown, with a prompt asking why they differ. The lab
(:class:`communitylab.labs._base.ModelLab`) feeds it every new ``summary()`` and relabels it on a language
switch; the panel subscribes to nothing itself.

Every text is in the ``predict`` catalog: ``predict.<model>.question``, ``.why``, and for a choice
``.option.<i>`` and ``.detail`` (the model's value in words), for a number ``.answer`` (the value with its unit).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from communitylab.i18n import t

__all__ = ["Choice", "Number", "Prediction", "PredictionPanel", "PREDICT_CSS"]

PREDICT_CSS = """<style>
.cl-predict { border-left: 4px solid #e08a1e; background: #fff8ee; padding: 4px 12px 6px 12px; margin: 2px 0 8px 0; }
.cl-predict .cl-predict-question { font-size: 14px; line-height: 1.45; }
.cl-predict .cl-predict-title { font-weight: 700; color: #9a5a00; margin-right: 6px; }
.cl-predict .widget-radio-box { flex-direction: row; flex-wrap: wrap; gap: 2px 18px; }
.cl-predict .widget-radio-box label { width: auto; }
.cl-predict .cl-predict-compare { font-size: 15px; line-height: 1.5; }
.cl-predict .cl-predict-why { font-style: italic; color: #444; line-height: 1.45; }
.cl-predict .cl-predict-error { color: #c0392b; }
</style>"""


@dataclass(frozen=True)
class Choice:
    """A prediction among options, each a range of one ``summary()`` value.

    Attributes
    ----------
    key : str
        Key in the model's ``summary()`` the options bin.
    bounds : tuple of float
        Ascending upper bounds (inclusive) of every option but the last finite one, in the value's own unit:
        ``(28, 90)`` makes "28 or less", "29 to 90" and "more than 90".
    never : bool
        Add a last option for NaN or infinity (a day that never comes, a group that never fills).
    """

    key: str
    bounds: tuple[float, ...]
    never: bool = False

    @property
    def size(self) -> int:
        """How many options the learner chooses among."""
        return len(self.bounds) + 1 + int(self.never)

    def option_of(self, value: float) -> int:
        """The index of the option ``value`` falls in."""
        value = float(value)
        if not math.isfinite(value):
            if self.never:
                return self.size - 1
            return 0 if value < 0 else len(self.bounds)
        return next((i for i, bound in enumerate(self.bounds) if value <= bound), len(self.bounds))


@dataclass(frozen=True)
class Number:
    """A prediction as a number in the question's unit.

    Attributes
    ----------
    key : str
        Key in the model's ``summary()`` compared with the learner's number.
    lo, hi : float
        The numbers a learner may type (e.g. 0 to 100 for a percentage).
    tolerance : float
        Relative distance, as a fraction of the model's value, within which a prediction counts as right:
        a rough estimate of the right order is the point, not the decimals.
    """

    key: str
    lo: float = 0.0
    hi: float = math.inf
    tolerance: float = 0.25

    def parse(self, text: str | float) -> float | None:
        """The number in a learner's text ("1,500", "３.４", "40 %"), or ``None`` when there is none in range."""
        if isinstance(text, int | float):
            value = float(text)
        else:
            # NFKC turns full-width digits and separators (typed with a Chinese input method) into ASCII
            found = _NUMBER.search(unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", ""))
            if found is None:
                return None
            value = float(found.group())
        return value if math.isfinite(value) and self.lo <= value <= self.hi else None

    def matches(self, predicted: float, value: float) -> bool:
        """Whether ``predicted`` is within the tolerance of the model's ``value``."""
        if not math.isfinite(value):
            return False
        return abs(predicted - value) <= self.tolerance * abs(value)


Prediction = Choice | Number
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)")


class PredictionPanel(W.VBox):
    """The question, the learner's locked answer, and the comparison with the run now shown.

    Parameters
    ----------
    question : Choice or Number
        What is asked; its texts are ``predict.<model>.*``.
    model : str
        The model's name (``Params.model``), the catalog stem.
    monitors : sequence of Monitor, optional
        The lab's monitors: a choice shows the model's value as the monitor of the same key renders it.
    """

    def __init__(self, question: Prediction, model: str, monitors: Sequence[Any] = ()) -> None:
        self.question = question
        self._stem = f"predict.{model}"
        self._monitor = next((m for m in monitors if m.key == question.key), None)
        self._summary: Mapping[str, Any] | None = None
        self._answer: int | float | None = None

        self._question = W.HTML()
        self._question.add_class("cl-predict-question")
        if isinstance(question, Choice):
            self._input = W.RadioButtons(options=[], value=None, layout=W.Layout(width="auto"))
        else:
            self._input = W.Text(layout=W.Layout(width="160px"))
            self._input.observe(self._handle_typing, names="value")
        self._input.add_class("cl-predict-input")
        self._unit = W.HTML()
        self._commit_button = W.Button(button_style="warning", layout=W.Layout(width="auto"), disabled=True)
        self._commit_button.add_class("cl-predict-commit")
        self._commit_button.on_click(lambda _button: self.commit(self._input.value))
        if isinstance(question, Choice):
            self._input.observe(self._handle_typing, names="value")
        self._error = W.HTML()
        self._form = W.HBox(
            [self._input, self._unit, self._commit_button, self._error],
            layout=W.Layout(align_items="center", flex_flow="row wrap"),
        )
        self._comparison = W.HTML()
        self._comparison.add_class("cl-predict-result")
        super().__init__([W.HTML(PREDICT_CSS), self._question, self._form, self._comparison])
        self.add_class("cl-predict")
        self.relabel()

    # -- public API ----------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """Whether the learner has committed a prediction (it cannot be changed afterwards)."""
        return self._answer is not None

    @property
    def answer(self) -> int | float | None:
        """The committed prediction: an option index (choice) or a number, ``None`` before Commit."""
        return self._answer

    @property
    def comparison(self) -> str:
        """The comparison line and prompt as plain text (empty before Commit), for tests and exercises."""
        return re.sub(r"<[^>]+>", "", self._comparison.value.replace("</div>", "</div> ")).strip()

    def commit(self, answer: int | float | str | None) -> None:
        """Lock ``answer`` (an option index for a choice, a number or its text for a number).

        Raises
        ------
        RuntimeError
            If a prediction is already committed: a prediction changed after the result is seen is not one.
        ValueError
            If ``answer`` is not one of the options or not a number in range.
        """
        if self.locked:
            raise RuntimeError("the prediction is already committed")
        value = self._valid(answer)
        if value is None:
            raise ValueError(f"not a prediction for {self.question.key!r}: {answer!r}")
        self._answer = value
        if isinstance(self.question, Choice):
            self._input.value = value  # committed from code: the (hidden) form shows it too
        self._input.disabled = True
        self._form.layout.display = "none"
        self._render_comparison()

    def update(self, summary: Mapping[str, Any]) -> None:
        """Compare the locked prediction with this run's ``summary()`` (called on every new result)."""
        self._summary = summary
        self._render_comparison()

    def relabel(self) -> None:
        """Every text in the language in force (called by the lab on a language switch)."""
        question = self.question
        self._question.value = (
            f'<span class="cl-predict-title">{html.escape(t("predict.title"))}</span>'
            f"{html.escape(self._text('question'))}"
        )
        if isinstance(question, Choice):
            selected = self._input.value
            self._input.options = [(self._text(f"option.{i}"), i) for i in range(question.size)]
            self._input.value = selected
        else:
            self._input.placeholder = t("predict.placeholder")
            self._unit.value = html.escape(self._text("unit"))
        self._commit_button.description = t("predict.commit")
        self._commit_button.tooltip = t("predict.commit_help")
        self._handle_typing(None)
        self._render_comparison()

    # -- internals -----------------------------------------------------------------
    def _text(self, key: str, **values: Any) -> str:
        return t(f"{self._stem}.{key}", **values)

    def _valid(self, answer: Any) -> int | float | None:
        if isinstance(self.question, Choice):
            return answer if isinstance(answer, int) and 0 <= answer < self.question.size else None
        return self.question.parse(answer) if answer not in (None, "") else None

    def _handle_typing(self, _change: dict | None) -> None:
        typed = self._input.value
        valid = self._valid(typed) is not None
        self._commit_button.disabled = not valid
        wrong = isinstance(self.question, Number) and bool(str(typed).strip()) and not valid
        self._error.value = (
            f'<span class="cl-predict-error">{html.escape(t("predict.not_a_number"))}</span>' if wrong else ""
        )

    def _predicted_text(self) -> str:
        if isinstance(self.question, Choice):
            return self._text(f"option.{self._answer}")
        return self._text("answer", value=self._answer)

    def _model_text(self, value: float) -> tuple[str, bool]:
        """The model's value in words, and whether the prediction matches it."""
        question = self.question
        if isinstance(question, Choice):
            option = question.option_of(value)
            text = self._text(f"option.{option}")
            if math.isfinite(value):
                shown = self._monitor.format(value) if self._monitor is not None else f"{value:,.3g}"
                text = t("predict.with_detail", option=text, detail=self._text("detail", text=shown))
            return text, option == self._answer
        return self._text("answer", value=value), question.matches(self._answer, value)

    def _render_comparison(self) -> None:
        if not self.locked or self._summary is None:
            self._comparison.value = ""
            return
        model_text, matched = self._model_text(float(self._summary[self.question.key]))
        line = t(
            "predict.compare",
            predicted=f"<b>{html.escape(self._predicted_text())}</b>",
            model=f"<b>{html.escape(model_text)}</b>",
        )
        prompt = t("predict.match") if matched else self._text("why")
        self._comparison.value = (
            f'<div class="cl-predict-compare">{line}</div><div class="cl-predict-why">{html.escape(prompt)}</div>'
        )
