"""Showing exercises to a learner: ``q1.check()``, ``q1.hint()``, ``q1.solution()``, ``q1.panel()``.

An :class:`ExerciseView` binds one :class:`~communitylab.exercises.problem.Exercise`
to a notebook session. It keeps the session's state (checks so far, hints shown,
solved or not), turns outcomes into coloured feedback and records every event in
the learner's progress file. The checking logic stays in :mod:`.problem`.

Where ``check()`` finds the answer
---------------------------------
``q1.check()`` with no argument reads the exercise's ``name`` (e.g. ``fair_share``)
from the namespace the notebook's cells run in: the IPython user namespace when
IPython is running (JupyterLab, Voila, nbval), else the ``__main__`` module (a
plain ``python`` script). A name that was never defined counts as not attempted
("run the cell above first"). ``q1.check(answer)`` checks ``answer`` instead.

Output: in IPython the feedback is displayed as HTML with a plain-text fallback;
elsewhere it is printed. Feedback never shows the expected value: a wrong answer
gets a general or a specific message, a simulation target the measured values
against the goals.
"""

from __future__ import annotations

import ast
import html
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from communitylab.exercises.problem import MISSING, Exercise, Outcome
from communitylab.i18n import get_lang, on_lang_change, t

__all__ = ["ExerciseView", "Feedback", "bind"]

_FROM_NAMESPACE = object()

# tone -> (text colour, background, border); chosen for contrast on white and in dark themes' cells
_TONES: dict[str, tuple[str, str, str]] = {
    "correct": ("#14532d", "#e7f6ec", "#2e7d32"),
    "incorrect": ("#7f1d1d", "#fdecea", "#c62828"),
    "not_attempted": ("#37474f", "#f1f3f4", "#90a4ae"),
    "error": ("#7a3e00", "#fff4e5", "#ef6c00"),
    "hint": ("#4a2c7a", "#f3eefa", "#7e57c2"),
    "solution": ("#0d3c8c", "#e8f0fe", "#1a73e8"),
    "locked": ("#37474f", "#f1f3f4", "#90a4ae"),
}
_SYMBOLS = {
    "correct": "✔",
    "incorrect": "✘",
    "not_attempted": "…",
    "error": "⚠",
    "hint": "ℹ",
    "solution": "✎",
    "locked": "⊘",
}


def _inline(text: str) -> str:
    """Escape text for HTML and render `backticks` as code."""
    escaped = html.escape(text, quote=False)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


@dataclass(frozen=True)
class Feedback:
    """One message to the learner, in the current language, ready to show.

    Attributes
    ----------
    tone : str
        ``correct``, ``incorrect``, ``not_attempted``, ``error``, ``hint``, ``solution`` or ``locked``.
    heading : str
        Short first words ("Correct", "Hint 1 of 3").
    body : str
        The message.
    details : tuple of str
        Further lines shown as a list.
    code : str or None
        Code shown in a block (the solution).
    """

    tone: str
    heading: str
    body: str
    details: tuple[str, ...] = ()
    code: str | None = None

    def html(self) -> str:
        """The feedback as a coloured HTML box."""
        fg, bg, border = _TONES[self.tone]
        parts = [
            f'<div class="cl-feedback cl-{self.tone}" style="color:{fg};background:{bg};'
            f"border-left:4px solid {border};padding:6px 10px;margin:4px 0;border-radius:3px;"
            f'font-family:var(--jp-content-font-family, sans-serif);line-height:1.45">',
            f"<strong>{_SYMBOLS[self.tone]} {html.escape(self.heading)}</strong> {_inline(self.body)}",
        ]
        if self.details:
            parts.append('<ul style="margin:4px 0 0 0;padding-left:20px">')
            parts.extend(f"<li>{_inline(line)}</li>" for line in self.details)
            parts.append("</ul>")
        if self.code:
            parts.append(
                '<pre style="background:#fff;color:#1f2328;padding:6px;margin:6px 0 0 0;'
                f'border:1px solid #d0d7de;overflow-x:auto"><code>{html.escape(self.code)}</code></pre>'
            )
        parts.append("</div>")
        return "".join(parts)

    def text(self) -> str:
        """The feedback as plain text."""
        lines = [f"{_SYMBOLS[self.tone]} {self.heading} {self.body}".rstrip()]
        lines += [f"  - {line}" for line in self.details]
        if self.code:
            lines += ["", *("    " + line for line in self.code.splitlines())]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()


def _show(feedback: Feedback) -> None:
    """Display in IPython (HTML + text), else print."""
    shell = _ipython()
    if shell is not None:
        from IPython.display import display

        display({"text/html": feedback.html(), "text/plain": feedback.text()}, raw=True)
    else:
        print(feedback.text())


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return None
    return get_ipython()


def in_voila() -> bool:
    """Whether this kernel serves a Voila page (Voila sets these variables in its kernels)."""
    if os.environ.get("SERVER_SOFTWARE", "").lower().startswith("voila"):
        return True
    return any(name in os.environ for name in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_BASE_URL"))


def _user_namespace() -> dict[str, Any]:
    """The namespace the learner's cells run in (see the module docstring)."""
    shell = _ipython()
    if shell is not None:
        return shell.user_ns
    return vars(sys.modules["__main__"])


def _markdown(text: str) -> str:
    import mistune

    return mistune.html(text)


class ExerciseView:
    """The learner-facing handle of one exercise (``q1`` in a notebook).

    Parameters
    ----------
    exercise : Exercise
        The exercise.
    number : int
        Its number in the module (for headings).
    record : bool
        Whether to write progress records.
    """

    def __init__(self, exercise: Exercise, number: int = 1, record: bool = True) -> None:
        self.exercise = exercise
        self.number = number
        self.record = record
        self.reset()

    # -- state -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget this session's checks and hints (the progress file keeps them)."""
        self.attempts = 0
        self.hints_shown = 0
        self.solved = False
        self.last_outcome: Outcome | None = None

    @property
    def id(self) -> str:
        return self.exercise.id

    @property
    def solution_unlocked(self) -> bool:
        """Whether the solution has been earned (solved, or ``reveal_after`` checks made)."""
        return self.solved or self.attempts >= self.exercise.reveal_after

    def __repr__(self) -> str:
        return f"<exercise {self.exercise.id}: {t(self.exercise.title)}>"

    # -- logic + recording -----------------------------------------------------------------
    def evaluate(self, answer: Any = _FROM_NAMESPACE) -> Outcome:
        """Check an answer (default: the learner's variable) without displaying anything."""
        if answer is _FROM_NAMESPACE:
            answer = _user_namespace().get(self.exercise.name, MISSING)
        outcome = self.exercise.evaluate(answer)
        if outcome.status != "not_attempted":
            self.attempts += 1
        if outcome.correct:
            self.solved = True
        self.last_outcome = outcome
        self._record(
            "check", outcome=outcome.status, attempt=self.attempts, answer=self._describe(answer), wrong=outcome.wrong
        )
        return outcome

    def _describe(self, answer: Any) -> str:
        try:
            return self.exercise.describe(answer)
        except Exception:  # a description is only for the trainer's table
            return ""

    def _record(self, event: str, **fields: Any) -> None:
        # COMMUNITYLAB_PROGRESS=off: e.g. a CI machine running the notebooks keeps no records
        if not self.record or os.environ.get("COMMUNITYLAB_PROGRESS", "").strip().lower() in (
            "0",
            "off",
            "false",
            "no",
        ):
            return
        from communitylab.exercises import progress

        progress.append_record({"exercise": self.exercise.id, "event": event, "lang": get_lang(), **fields})

    # -- feedback ----------------------------------------------------------------------------
    def check_feedback(self, answer: Any = _FROM_NAMESPACE) -> Feedback:
        """Check and return the feedback (what :meth:`check` displays)."""
        outcome = self.evaluate(answer)
        heading = t(f"exercises.heading.{outcome.status}")
        body = outcome.message()
        if outcome.status in ("incorrect", "error") and not self.solution_unlocked:
            left = self.exercise.reveal_after - self.attempts
            body += " " + t("exercises.solution.after_more", left=left)
        return Feedback(outcome.status, heading, body, tuple(outcome.details()))

    def hint_feedback(self) -> Feedback:
        """The next hint, or a closing message once all hints were given."""
        hints = self.exercise.hints
        if self.hints_shown < len(hints):
            index = self.hints_shown
            self.hints_shown += 1
            self._record("hint", hint=self.hints_shown)
            return Feedback("hint", t("exercises.hint.heading", n=index + 1, total=len(hints)), t(hints[index]))
        self._record("hint", hint=None)
        key = "exercises.hint.exhausted_unlocked" if self.solution_unlocked else "exercises.hint.exhausted"
        left = max(0, self.exercise.reveal_after - self.attempts)
        return Feedback("hint", t("exercises.hint.none_left"), t(key, total=len(hints), left=left))

    def solution_feedback(self) -> Feedback:
        """The solution if earned, else how many more checks it takes."""
        if not self.solution_unlocked:
            left = self.exercise.reveal_after - self.attempts
            return Feedback("locked", t("exercises.solution.locked_heading"), t("exercises.solution.locked", left=left))
        self._record("solution")
        return Feedback(
            "solution", t("exercises.solution.heading"), t("exercises.solution.intro"), code=self.exercise.solution
        )

    # -- notebook API -------------------------------------------------------------------------
    def check(self, answer: Any = _FROM_NAMESPACE) -> None:
        """Check your answer and show the result.

        Parameters
        ----------
        answer : optional
            What to check; by default the variable named in the exercise, read from the
            notebook's namespace.

        Notes
        -----
        In a Voila page the learner cannot edit code, so ``check()`` without an answer
        shows :meth:`panel` there instead: buttons, an answer box for value answers and
        one input per parameter for simulation targets.
        """
        if answer is _FROM_NAMESPACE and in_voila():
            from IPython.display import display

            display(self.panel(prompt=False))  # the notebook's markdown above already states the task
            return
        _show(self.check_feedback(answer))

    def hint(self) -> None:
        """Show the next hint."""
        _show(self.hint_feedback())

    def solution(self) -> None:
        """Show the solution (after ``reveal_after`` checks, or once solved)."""
        _show(self.solution_feedback())

    def prompt(self) -> None:
        """Show the task."""
        shell = _ipython()
        text = f"**{self.number}. {t(self.exercise.title)}**\n\n{t(self.exercise.prompt)}"
        if shell is not None:
            from IPython.display import display

            display({"text/html": _markdown(text), "text/plain": text}, raw=True)
        else:
            print(text)

    def assert_check_passed(self, answer: Any = _FROM_NAMESPACE) -> None:
        """Raise ``AssertionError`` unless the answer is correct (for solution notebooks and tests)."""
        outcome = self.last_outcome if answer is _FROM_NAMESPACE and self.last_outcome is not None else None
        if outcome is None or not outcome.correct:
            outcome = self.exercise.evaluate(
                _user_namespace().get(self.exercise.name, MISSING) if answer is _FROM_NAMESPACE else answer
            )
        if not outcome.correct:
            raise AssertionError(f"{self.exercise.id}: {outcome.status}: {outcome.text('en')}")

    # -- Voila panel ----------------------------------------------------------------------------
    def panel(self, source: Any = None, prompt: bool = True):
        """An ipywidgets box with Check / Hint / Solution buttons and a feedback area.

        Parameters
        ----------
        source : optional
            Where Check takes the answer from: a lab (its ``params`` are checked, for
            simulation targets), or a zero-argument function returning the answer. By
            default: the answer box (for value answers) if filled in, else the learner's
            variable in the notebook namespace.
        prompt : bool
            Show the title and the task above the buttons (off when the page already shows them).

        Returns
        -------
        ipywidgets.VBox
            The panel; its feedback area is an ``HTML`` widget whose value is replaced.
        """
        return _Panel(self, source, prompt).box


class _Panel:
    """Widgets of :meth:`ExerciseView.panel` and their handlers."""

    def __init__(self, view: ExerciseView, source: Any, prompt: bool = True) -> None:
        import ipywidgets as W

        from communitylab.exercises.problem import Target, Value

        self.view, self.source = view, source
        exercise = view.exercise
        self.title = W.HTML()
        self.prompt = W.HTML()
        self.note = W.HTML()
        self.answer_box = W.Text(layout=W.Layout(width="18em")) if isinstance(exercise.check, Value) else None
        # A target without a lab gets one input per parameter the learner chooses (Voila has no code cells).
        self.inputs: dict[str, W.ValueWidget] = {}
        if isinstance(exercise.check, Target) and source is None:
            self.inputs = _parameter_inputs(exercise.check)
        self.code_only = not isinstance(exercise.check, (Value, Target)) and source is None
        self.check_button = W.Button(button_style="primary")
        self.hint_button = W.Button()
        self.solution_button = W.Button()
        self.feedback = W.HTML(value="")
        self.check_button.on_click(self.handle_check_click)
        self.hint_button.on_click(self.handle_hint_click)
        self.solution_button.on_click(self.handle_solution_click)
        for button, name in (
            (self.check_button, "check"),
            (self.hint_button, "hint"),
            (self.solution_button, "solution"),
        ):
            button.add_class(f"cl-exercise-{name}")
        row = [self.check_button, self.hint_button, self.solution_button]
        if self.answer_box is not None:
            self.answer_box.add_class("cl-exercise-answer")
            row = [self.answer_box, *row]
        self.feedback.add_class("cl-exercise-feedback")
        children = [self.title, self.prompt] if prompt else []
        if self.inputs:
            form = W.GridBox(list(self.inputs.values()), layout=W.Layout(grid_template_columns="repeat(2, 24em)"))
            form.add_class("cl-exercise-inputs")
            children.append(form)
        if self.code_only and in_voila():
            children.append(self.note)
        self.box = W.VBox([*children, W.HBox(row), self.feedback])
        self.box.add_class("cl-exercise-panel")
        self.relabel()
        on_lang_change(lambda _lang: self.relabel())

    def relabel(self) -> None:
        view = self.view
        self.title.value = f"<h4 style='margin:4px 0'>{view.number}. {html.escape(t(view.exercise.title))}</h4>"
        self.prompt.value = _markdown(t(view.exercise.prompt))
        self.check_button.description = t("exercises.panel.check")
        self.hint_button.description = t("exercises.panel.hint")
        self.update_solution_button()
        if self.answer_box is not None:
            self.answer_box.placeholder = t("exercises.panel.answer_placeholder", name=view.exercise.name)
        if self.inputs:
            params = view.exercise.check.module.Params
            for name, control in self.inputs.items():
                unit = params.specs()[name].unit
                control.description = t(params.label_key(name)) + (f" ({unit})" if unit else "")
                control.tooltip = t(params.help_key(name))
        self.note.value = f"<em>{_inline(t('exercises.panel.needs_code', name=view.exercise.name))}</em>"

    def update_solution_button(self) -> None:
        view = self.view
        if view.solution_unlocked:
            self.solution_button.description = t("exercises.panel.solution")
            self.solution_button.tooltip = ""
        else:
            left = view.exercise.reveal_after - view.attempts
            self.solution_button.description = t("exercises.panel.solution_locked")
            self.solution_button.tooltip = t("exercises.solution.locked", left=left)

    def answer(self) -> Any:
        if self.answer_box is not None and self.answer_box.value.strip():
            text = self.answer_box.value.strip()
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return text  # a bare word such as a multiple-choice letter
        if self.inputs:
            return {name: control.value for name, control in self.inputs.items()}
        if self.source is not None:
            if hasattr(self.source, "params"):
                return self.source
            if callable(self.source):
                return self.source()
            return self.source
        return _FROM_NAMESPACE

    def handle_check_click(self, _button: Any) -> None:
        try:
            answer = self.answer()
        except Exception as error:  # a failing source function is the learner's code
            from communitylab.exercises.problem import CodeError, summarise_exception

            outcome = CodeError(values={"error": summarise_exception(error), "case": "()"})
            self.feedback.value = Feedback("error", t("exercises.heading.error"), outcome.message()).html()
            return
        self.feedback.value = self.view.check_feedback(answer).html()
        self.update_solution_button()

    def handle_hint_click(self, _button: Any) -> None:
        self.feedback.value = self.view.hint_feedback().html()

    def handle_solution_click(self, _button: Any) -> None:
        self.feedback.value = self.view.solution_feedback().html()


def _parameter_inputs(target: Any) -> dict[str, Any]:
    """One input per parameter the learner chooses, starting at the scenario's value, bounded by its range."""
    import ipywidgets as W

    Params = target.module.Params
    start = Params(**dict(target.scenario))
    style = {"description_width": "14em"}
    layout = W.Layout(width="23em")
    inputs = {}
    for name in target.choose:
        spec = Params.specs()[name]
        value = getattr(start, name)
        if spec.boolean:
            control = W.Checkbox(value=bool(value), indent=False, layout=layout)
        elif spec.integer:
            control = W.BoundedIntText(
                value=int(value),
                min=int(spec.lo),
                max=int(spec.hi),
                step=max(1, int(spec.step)),
                style=style,
                layout=layout,
            )
        else:
            control = W.BoundedFloatText(
                value=float(value), min=spec.lo, max=spec.hi, step=spec.step, style=style, layout=layout
            )
        control.add_class(f"cl-exercise-param-{name}")
        inputs[name] = control
    return inputs


def bind(exercises: tuple[Exercise, ...] | list[Exercise], record: bool = True) -> list[ExerciseView]:
    """One view per exercise, numbered from 1."""
    return [ExerciseView(exercise, number=i + 1, record=record) for i, exercise in enumerate(exercises)]
