"""An exercise declared as data (:class:`Exercise`) and its known wrong answers (:class:`Known`).

Nothing here displays anything: an exercise turns an answer into an
:class:`~.outcome.Outcome` (:mod:`.view` does the showing). Two kinds share one shape:

* **code answers**: the learner assigns a value (:class:`~.checks.Value`), builds a
  DataFrame (:class:`~.checks.Frame`) or writes a function checked on cases
  (:class:`~.checks.Function`);
* **simulation targets** (:class:`~.target.Target`): the learner chooses some
  parameters of a model and every goal must be met.

An exercise module (``m01.py`` ...) declares only what is its own: the answer's
name, the check, the starter and solution code and the known wrong answers; the
kinds that follow a pattern (a plan, two runs compared, a multiple choice) are
declared in one short call each (:mod:`.declare`). Every
text is found in the catalogs by the exercise's id: exercise ``m01.q3`` has its
title at ``ex01.q3.title``, its task at ``ex01.q3.prompt``, hint *n* at
``ex01.q3.hint.n``, the message of known wrong answer ``one_row`` at
``ex01.q3.wrong.one_row`` and, for a target, goal ``reads`` labelled at
``ex01.goal.reads``.

This module re-exports the pieces an exercise module needs besides :mod:`.declare`'s shortcuts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from communitylab.exercises.checks import Frame, Function, Value
from communitylab.exercises.compare import close, resolve, short_repr
from communitylab.exercises.outcome import (
    MISSING,
    Blank,
    CodeError,
    Correct,
    Incorrect,
    LearnerCodeFailed,
    NotAttempted,
    Outcome,
    ____,
    contains_blank,
    summarise_exception,
)
from communitylab.exercises.target import Goal, Target

# the names an exercise module or a test imports from here (the rest live in .outcome, .checks, .target)
__all__ = [
    "Exercise",
    "Known",
    "catalog_prefix",
    "Value",
    "Frame",
    "Function",
    "Goal",
    "Target",
    "Outcome",
]
__all__ += ["Correct", "Incorrect", "NotAttempted", "CodeError", "MISSING", "Blank", "____", "contains_blank"]


@dataclass(frozen=True)
class Known:
    """A known wrong answer and the specific message it deserves.

    Parameters
    ----------
    id : str
        Short name, used in the progress file, the room summary ("forgot_own_group") and,
        by default, the message's catalog key (``<exercise>.wrong.<id>``).
    message : str, optional
        Catalog key of the message, when it is not the default one.
    answer : any, optional
        The wrong answer (a value, a wrong reference function, or for a target a dict of
        chosen parameters), compared the same way the check compares.
    when : callable, optional
        Instead of ``answer``: a predicate on the learner's answer (for a target: on the
        plan, a dict of every chosen parameter with the scenario's value where the
        learner gave none).
    example : any, optional
        An answer that triggers ``when`` (or a zero-argument function building one); the
        tests use it to prove the message is reachable.
    tolerance : float, optional
        Absolute tolerance for comparing with ``answer`` (default: the check's own).
    """

    id: str
    message: str = ""
    answer: Any = None
    when: Callable[[Any], bool] | None = None
    example: Any = None
    tolerance: float | None = None

    def sample(self, check: Any) -> Any:
        """A concrete answer that should produce this message (for tests and demos)."""
        if self.example is not None:
            return resolve(self.example)
        if isinstance(check, Function):
            return self.answer
        return resolve(self.answer)

    def matches(self, answer: Any, check: Any) -> bool:
        if self.when is not None:
            return bool(self.when(answer))
        if self.tolerance is not None:  # tighter than the check's, to tell close wrong answers apart
            return close(answer, resolve(self.answer), 0.0, self.tolerance)
        return check.same(answer, resolve(self.answer) if not isinstance(check, Function) else self.answer)


def blank_return(solution: str) -> str:
    """A function's starter: its solution with what the last line returns replaced by ``____``.

    >>> blank_return("def f(x):\\n    return 2 * x")
    'def f(x):\\n    return ____'
    """
    *body, last = solution.split("\n")
    indent, keyword, _ = last.partition("return ")
    if not keyword:
        raise ValueError(f"the solution's last line returns nothing: {last!r}")
    return "\n".join([*body, f"{indent}return ____"])


def catalog_prefix(exercise_id: str) -> str:
    """``"m01.q3"`` -> ``"ex01.q3"``: where an exercise's texts live in the catalogs."""
    module, _, question = exercise_id.partition(".")
    return f"ex{module.removeprefix('m')}.{question}" if question else exercise_id


@dataclass(frozen=True)
class Exercise:
    """One exercise, declared as data.

    Parameters
    ----------
    id : str
        Stable id, ``"m01.q1"``; progress records use it, and the catalog keys follow from it.
    name : str
        The variable (or function) the learner fills in; ``check()`` looks it up in the
        notebook's namespace.
    check : Value, Frame, Function or Target
        How an answer is judged.
    solution : str
        Code that solves it (shown once earned; the tests run it).
    starter : str, optional
        The code the learner starts from, with ``____`` where the answer goes. By default, for a
        function (:class:`Function` check) the solution with what its last line returns blanked
        (:func:`blank_return`), and otherwise the bare assignment ``<name> = ____``.
    known_wrong : tuple of Known
        Wrong answers with their own messages, tried in order after the check fails.
    hints : int or tuple of str
        How many hints the catalog holds (``<prefix>.hint.1`` ...), or their keys.
    reveal_after : int, optional
        Checks (not counting blanks) before the solution can be shown; by default 2 for a
        code answer and 3 for a simulation target, which takes more trying.
    title, prompt : str, optional
        Catalog keys of the title and the task, when they are not ``<prefix>.title`` and
        ``<prefix>.prompt``.
    """

    id: str
    name: str
    check: Any
    solution: str
    starter: str = ""
    known_wrong: tuple[Known, ...] = ()
    hints: int | tuple[str, ...] = 2
    reveal_after: int | None = None
    title: str = ""
    prompt: str = ""

    def __post_init__(self) -> None:
        # Fill in the keys the id implies; the dataclass stays frozen for everyone else.
        prefix = catalog_prefix(self.id)
        fill = {
            "starter": self.starter
            or (blank_return(self.solution) if isinstance(self.check, Function) else f"{self.name} = ____"),
            "title": self.title or f"{prefix}.title",
            "prompt": self.prompt or f"{prefix}.prompt",
            "hints": tuple(f"{prefix}.hint.{n}" for n in range(1, self.hints + 1))
            if isinstance(self.hints, int)
            else tuple(self.hints),
            "reveal_after": self.reveal_after if self.reveal_after is not None else (3 if self.kind == "target" else 2),
            "known_wrong": tuple(
                k if k.message else replace(k, message=f"{prefix}.wrong.{k.id}") for k in self.known_wrong
            ),
        }
        if isinstance(self.check, Target):
            module = prefix.partition(".")[0]
            goals = tuple(
                g if "." in g.label else replace(g, label=f"{module}.goal.{g.label}") for g in self.check.goals
            )
            fill["check"] = replace(self.check, goals=goals)
        for key, value in fill.items():
            object.__setattr__(self, key, value)

    @property
    def kind(self) -> str:
        """``"code"`` or ``"target"``."""
        return self.check.kind

    def evaluate(self, answer: Any) -> Outcome:
        """Judge ``answer``; never raises.

        Returns
        -------
        Outcome
            ``NotAttempted`` for a missing name or one still holding ``____``;
            ``Correct``; ``Incorrect`` with a known-wrong message when one matches;
            ``CodeError`` when the learner's function raised (or the answer could not
            be checked at all).
        """
        if answer is MISSING:
            return NotAttempted("exercises.outcome.missing_name", {"name": self.name})
        try:
            if contains_blank(answer):
                return NotAttempted("exercises.outcome.not_attempted", {"name": self.name})
            outcome = self.check.evaluate(answer)
            if outcome.status != "incorrect":
                return outcome
            if isinstance(self.check, Target):
                # only a run that missed its goals gets a specific message; a refused
                # parameter set keeps the message that says why it was refused
                if outcome.key != "exercises.target.missed":
                    return outcome
                judged = self.check.plan(answer)
            else:
                judged = answer
            for known in self.known_wrong:
                if known.matches(judged, self.check):
                    return Incorrect(known.message, lines=outcome.lines, wrong=known.id)
            return outcome
        except LearnerCodeFailed as failed:
            return CodeError(values={"error": failed.summary, "case": failed.case})
        except Exception as error:  # an answer shape no check foresaw: say so, do not crash the cell
            return CodeError("exercises.outcome.uncheckable", {"error": summarise_exception(error)})

    def describe(self, answer: Any) -> str:
        """Short description of an answer for the progress file (never the solution)."""
        if answer is MISSING or contains_blank(answer):
            return ""
        if isinstance(self.check, Target):
            chosen = self.check.chosen(answer)
            return short_repr(chosen) if not isinstance(chosen, Outcome) else short_repr(type(answer).__name__)
        return short_repr(answer)
