"""Self-checking exercises: declared as data, checked without raising, shown in JupyterLab and Voila.

In a notebook::

    from communitylab.exercises.m01 import q1, q2
    fair_share = lambda groups: 1 / (groups + 1)
    q2.check()      # reads `fair_share` from the notebook's namespace
    q2.hint()
    q2.solution()   # after a few checks
    q2.panel()      # the same with buttons, for Voila

``load_module("01")`` returns the module of one course module's exercises
(its ``q1``, ``q2``, ... and ``EXERCISES``). An exercise is declared in
:mod:`.problem`, checked by :mod:`.checks` (code answers) or :mod:`.target`
(simulation targets) with :mod:`.compare`, and its result is an :mod:`.outcome`;
:mod:`.view` shows it in a notebook and :mod:`.panel` in Voila, with
:mod:`.feedback` boxes; :mod:`.progress` keeps the records.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from communitylab.exercises.problem import (
    CodeError,
    Correct,
    Exercise,
    Frame,
    Function,
    Goal,
    Incorrect,
    Known,
    NotAttempted,
    Target,
    Value,
    ____,
)
from communitylab.exercises.view import ExerciseView, Feedback, bind

__all__ = [
    "____",
    "CodeError",
    "Correct",
    "Exercise",
    "ExerciseView",
    "Feedback",
    "Frame",
    "Function",
    "Goal",
    "Incorrect",
    "Known",
    "NotAttempted",
    "Target",
    "Value",
    "bind",
    "load_module",
    "MODULES",
]

#: Course module number -> module of its exercises.
MODULES: dict[str, str] = {f"{n:02d}": f"communitylab.exercises.m{n:02d}" for n in range(1, 9)}


def load_module(number: str | int) -> ModuleType:
    """The exercises of one course module (``"01"`` or ``1``), with ``q1``, ``q2``, ... bound."""
    key = f"{int(number):02d}"
    if key not in MODULES:
        raise KeyError(f"no exercises for module {number!r}; known: {', '.join(MODULES)}")
    return importlib.import_module(MODULES[key])
