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

import logging
import os
from typing import Any

from communitylab.exercises.feedback import FROM_NAMESPACE, Feedback, in_voila, show, show_markdown, user_namespace
from communitylab.exercises.outcome import MISSING, Outcome
from communitylab.exercises.problem import Exercise
from communitylab.i18n import get_lang, t

__all__ = ["ExerciseView", "Feedback", "bind"]

_log = logging.getLogger(__name__)
#: Whether this kernel already told the learner that progress cannot be saved.
_WARNED_UNWRITABLE = False


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
        self._pending: list[Feedback] = []

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
    def evaluate(self, answer: Any = FROM_NAMESPACE) -> Outcome:
        """Check an answer (default: the learner's variable) without displaying anything."""
        if answer is FROM_NAMESPACE:
            answer = user_namespace().get(self.exercise.name, MISSING)
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

        if not progress.append_record({"exercise": self.exercise.id, "event": event, "lang": get_lang(), **fields}):
            self._warn_unwritable(progress.progress_file())

    def _warn_unwritable(self, path: Any) -> None:
        # Once per kernel, not once per check: the learner should know, not be nagged.
        global _WARNED_UNWRITABLE
        if _WARNED_UNWRITABLE:
            return
        _WARNED_UNWRITABLE = True
        _log.warning("progress records cannot be written to %s; checks still work but are not recorded", path)
        self._pending.append(
            Feedback(
                "error",
                t("exercises.progress.unwritable_heading"),
                t("exercises.progress.unwritable", folder=str(path.parent)),
            )
        )

    def take_warnings(self) -> list[Feedback]:
        """Warnings raised since the last call (e.g. progress cannot be saved), to show after the feedback."""
        pending, self._pending = self._pending, []
        return pending

    def _show(self, feedback: Feedback) -> None:
        show(feedback)
        for warning in self.take_warnings():
            show(warning)

    # -- feedback ----------------------------------------------------------------------------
    def check_feedback(self, answer: Any = FROM_NAMESPACE) -> Feedback:
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
    def check(self, answer: Any = FROM_NAMESPACE) -> None:
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
        if answer is FROM_NAMESPACE and in_voila():
            from IPython.display import display

            display(self.panel(prompt=False))  # the notebook's markdown above already states the task
            return
        self._show(self.check_feedback(answer))

    def hint(self) -> None:
        """Show the next hint."""
        self._show(self.hint_feedback())

    def solution(self) -> None:
        """Show the solution (after ``reveal_after`` checks, or once solved)."""
        self._show(self.solution_feedback())

    def prompt(self) -> None:
        """Show the task."""
        text = f"**{self.number}. {t(self.exercise.title)}**\n\n{t(self.exercise.prompt)}"
        show_markdown(text)

    def assert_check_passed(self, answer: Any = FROM_NAMESPACE) -> None:
        """Raise ``AssertionError`` unless the answer is correct (for solution notebooks and tests)."""
        outcome = self.last_outcome if answer is FROM_NAMESPACE and self.last_outcome is not None else None
        if outcome is None or not outcome.correct:
            outcome = self.exercise.evaluate(
                user_namespace().get(self.exercise.name, MISSING) if answer is FROM_NAMESPACE else answer
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
        from communitylab.exercises.panel import Panel

        return Panel(self, source, prompt).box


def bind(exercises: tuple[Exercise, ...] | list[Exercise], record: bool = True) -> list[ExerciseView]:
    """One view per exercise, numbered from 1."""
    return [ExerciseView(exercise, number=i + 1, record=record) for i, exercise in enumerate(exercises)]
