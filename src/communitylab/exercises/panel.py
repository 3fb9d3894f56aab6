"""The Voila panel of an exercise: Check / Hint / Solution buttons, an answer box or one input per parameter."""

from __future__ import annotations

import ast
import html
from typing import TYPE_CHECKING, Any

from communitylab.exercises.feedback import FROM_NAMESPACE, Feedback, in_voila, inline, markdown
from communitylab.exercises.outcome import CodeError, summarise_exception
from communitylab.i18n import on_lang_change, t

if TYPE_CHECKING:
    from communitylab.exercises.view import ExerciseView

__all__ = ["Panel"]


class Panel:
    """Widgets of :meth:`ExerciseView.panel` and their handlers."""

    def __init__(self, view: ExerciseView, source: Any, prompt: bool = True) -> None:
        import ipywidgets as W

        from communitylab.exercises.checks import Value
        from communitylab.exercises.target import Target

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
        on_lang_change(self._on_lang)

    def _on_lang(self, _lang: str) -> None:
        # a bound method, not a lambda: a listener held weakly lives as long as this panel
        self.relabel()

    def relabel(self) -> None:
        view = self.view
        self.title.value = f"<h4 style='margin:4px 0'>{view.number}. {html.escape(t(view.exercise.title))}</h4>"
        self.prompt.value = markdown(t(view.exercise.prompt))
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
        self.note.value = f"<em>{inline(t('exercises.panel.needs_code', name=view.exercise.name))}</em>"

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
        return FROM_NAMESPACE

    def handle_check_click(self, _button: Any) -> None:
        try:
            answer = self.answer()
        except Exception as error:  # a failing source function is the learner's code
            outcome = CodeError(values={"error": summarise_exception(error), "case": "()"})
            self.feedback.value = Feedback("error", t("exercises.heading.error"), outcome.message()).html()
            return
        self.show(self.view.check_feedback(answer))
        self.update_solution_button()

    def handle_hint_click(self, _button: Any) -> None:
        self.show(self.view.hint_feedback())

    def handle_solution_click(self, _button: Any) -> None:
        self.show(self.view.solution_feedback())

    def show(self, feedback: Feedback) -> None:
        """Replace the feedback area's content, with any pending warning under it."""
        self.feedback.value = "".join(f.html() for f in (feedback, *self.view.take_warnings()))


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
