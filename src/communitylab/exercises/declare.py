"""Exercises that follow a pattern, each declared in one short call.

* :func:`plan_exercise`: a simulation target, the learner's plan written as ``name = dict(...)``;
* :func:`comparison_exercise`: two runs of a model compared on one ``summary()`` monitor;
* :func:`wrong_answers`: the known wrong letters of a multiple choice.

Each builds an :class:`~.problem.Exercise` whose starter, solution and check follow from the one
declaration, so they cannot drift apart.
"""

from __future__ import annotations

import importlib
import operator
from collections.abc import Callable, Mapping
from typing import Any

from communitylab.exercises.checks import Value
from communitylab.exercises.outcome import ____
from communitylab.exercises.problem import Exercise, Known
from communitylab.exercises.target import Goal, Target

__all__ = ["plan_exercise", "comparison_exercise", "wrong_answers", "dict_code"]


def wrong_answers(**answers: Any) -> tuple[Known, ...]:
    """Known wrong answers that are plain values, by id: ``wrong_answers(price="b", quieter="c")`` for a choice."""
    return tuple(Known(key, answer=answer) for key, answer in answers.items())


def dict_code(name: str, values: Mapping[str, Any]) -> str:
    """``name = dict(a=1, b=2)``: the line a plan exercise's starter or solution is (``values`` may hold ``____``)."""
    items = ", ".join(f"{key}={'____' if value is ____ else repr(value)}" for key, value in values.items())
    return f"{name} = dict({items})"


def plan_exercise(
    id: str,
    name: str,
    model: str,
    solution: Mapping[str, Any],
    goals: tuple[Goal, ...],
    wrong: tuple[tuple[str, Callable[[Any], bool], Any], ...] = (),
    *,
    choose: tuple[str, ...] | None = None,
    starter: str = "",
    code: str = "",
    hints: int = 3,
    **target: Any,
) -> Exercise:
    """A simulation target declared in one short call: the plan the learner gives is ``name = dict(...)``.

    Parameters
    ----------
    id, name : str
        As for :class:`Exercise`.
    model : str
        The model the plan runs (``communitylab.models.<model>``).
    solution : mapping
        A plan that meets every goal, ``{parameter: value}``; the solution code is ``name = dict(**solution)``.
    goals : tuple of Goal
        Every goal must be met.
    wrong : tuple of (id, when, example)
        Known wrong plans: a predicate on the plan (every chosen parameter) and an example plan that triggers it.
    choose : tuple of str, optional
        The parameters the learner sets (default: the solution's keys, in order).
    starter, code : str, optional
        The starter and solution code, when they are more than the one ``dict`` line.
    hints : int
        How many hints the catalog holds.
    **target
        ``scenario``, ``seeds`` or ``run`` of the :class:`Target`.
    """
    choose = tuple(choose or solution)
    return Exercise(
        id=id,
        name=name,
        check=Target(model=model, choose=choose, goals=goals, **target),
        starter=starter or dict_code(name, dict.fromkeys(choose, ____)),
        solution=code or dict_code(name, solution),
        known_wrong=tuple(Known(key, when=when, example=example) for key, when, example in wrong),
        hints=hints,
    )


#: How a comparison exercise combines its two runs, and its swapped answer (a known wrong one).
_COMBINE: dict[str, tuple[Callable[[float, float], float], Callable[[float], float]]] = {
    "/": (operator.truediv, lambda ratio: 1 / ratio),
    "-": (operator.sub, operator.neg),
}


def comparison_exercise(
    id: str,
    name: str,
    model: str,
    monitor: str,
    runs: Mapping[str, Mapping[str, Any]],
    answer: tuple[str, str, str],
    known_wrong: tuple[Known, ...] = (),
    **tolerance: float,
) -> Exercise:
    """Two runs of a model compared on one ``summary()`` monitor, declared in one short call.

    The starter gives the first run's line; the learner writes the second and combines the two as
    ``name = <run>[monitor] <op> <run>[monitor]``. The starter, the solution and the expected value all
    follow from this one declaration, and the swapped answer (``1 / ratio`` or ``-difference``) is the
    known wrong answer ``inverted``.

    Parameters
    ----------
    id, name : str
        As for :class:`Exercise`.
    model : str
        The model both runs use (``communitylab.models.<model>``, imported by the notebook's setup).
    monitor : str
        The ``summary()`` value compared.
    runs : mapping of str to mapping
        The two runs in the order the code makes them: variable name -> parameter changes (``{}`` for the
        defaults). The first is written in the starter, the second is the learner's.
    answer : (str, str, str)
        ``(run, op, run)`` with ``op`` ``"/"`` (a ratio) or ``"-"`` (a difference, in the monitor's unit),
        e.g. ``("many", "/", "few")``.
    known_wrong : tuple of Known
        Further wrong answers, tried after ``inverted``.
    **tolerance
        ``rel_tol`` and ``abs_tol`` of the :class:`Value` check.

    Returns
    -------
    Exercise
    """
    top, op, bottom = answer
    combine, swap = _COMBINE[op]

    def expected() -> float:
        module = importlib.import_module(f"communitylab.models.{model}")
        values = {run: module.simulate(module.Params(**changes)).summary()[monitor] for run, changes in runs.items()}
        return combine(values[top], values[bottom])

    lines = [
        f"{run} = {model}.simulate({model}.Params({', '.join(f'{k}={v!r}' for k, v in changes.items())})).summary()"
        for run, changes in runs.items()
    ]
    asked = list(runs)[1]
    return Exercise(
        id=id,
        name=name,
        check=Value(expected, **tolerance),
        starter="\n".join([lines[0], f"{asked} = ____", f"{name} = ____"]),
        solution="\n".join([*lines, f'{name} = {top}["{monitor}"] {op} {bottom}["{monitor}"]']),
        known_wrong=(Known("inverted", answer=lambda: swap(expected())), *known_wrong),
    )
