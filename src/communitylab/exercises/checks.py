"""Checks of code answers: a value (:class:`Value`), a table (:class:`Frame`) or a function (:class:`Function`).

Each check has ``evaluate(answer) -> Outcome`` and ``same(answer, reference)``,
the comparison a known wrong answer is matched with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from communitylab.exercises.compare import close, kind_of, resolve, short_repr
from communitylab.exercises.outcome import (
    Correct,
    Incorrect,
    LearnerCodeFailed,
    Localised,
    NotAttempted,
    Outcome,
    contains_blank,
)

__all__ = ["Value", "Frame", "Function"]


class _CodeCheck:
    """What the code checks share: the right answer may be a function, computed on the first check."""

    kind = "code"
    expected: Any

    @cached_property
    def _expected(self) -> Any:
        return resolve(self.expected)


@dataclass(frozen=True)
class Value(_CodeCheck):
    """A value answer: a number, a string (e.g. a multiple-choice letter), a list or a dict.

    Parameters
    ----------
    expected : value or callable
        The right answer, or a zero-argument function computing it (evaluated once).
    rel_tol, abs_tol : float
        Tolerances for numbers (``math.isclose``).
    """

    expected: Any
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9

    def evaluate(self, answer: Any) -> Outcome:
        expected = self._expected
        if close(answer, expected, self.rel_tol, self.abs_tol):
            return Correct()
        want, got = kind_of(expected), kind_of(answer)
        if want != got:
            return Incorrect("exercises.value.kind", {"want": Localised(f"exercises.kind.{want}"), "got": got})
        if want == "list" and len(np.ravel(np.asarray(answer, dtype=object))) != len(
            np.ravel(np.asarray(expected, dtype=object))
        ):
            return Incorrect("exercises.value.length", {"got": len(np.ravel(np.asarray(answer, dtype=object)))})
        return Incorrect("exercises.value.wrong")

    def same(self, answer: Any, reference: Any) -> bool:
        return close(answer, reference, self.rel_tol, self.abs_tol)


@dataclass(frozen=True)
class Frame(_CodeCheck):
    """A pandas DataFrame answer, compared on the given columns with tolerance.

    Parameters
    ----------
    expected : DataFrame or callable
        The right table, or a zero-argument function building it.
    columns : tuple of str
        Columns that must be present and equal (others are ignored).
    sort_by : str, optional
        Sort both tables by this column before comparing (row order then does not matter).
    """

    expected: Any
    columns: tuple[str, ...]
    sort_by: str | None = None
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9

    def _prepare(self, frame: Any):
        if self.sort_by is not None and self.sort_by in frame.columns:
            frame = frame.sort_values(self.sort_by)
        return frame.reset_index(drop=True)

    def evaluate(self, answer: Any) -> Outcome:
        import pandas as pd

        if not isinstance(answer, pd.DataFrame):
            return Incorrect("exercises.frame.kind", {"got": type(answer).__name__})
        missing = [c for c in self.columns if c not in answer.columns]
        if missing:
            return Incorrect("exercises.frame.columns", {"missing": ", ".join(missing)})
        expected = self._prepare(self._expected)
        got = self._prepare(answer)
        if len(got) != len(expected):
            return Incorrect("exercises.frame.rows", {"got": len(got)})
        for column in self.columns:
            if not close(list(got[column]), list(expected[column]), self.rel_tol, self.abs_tol):
                return Incorrect("exercises.frame.values", {"column": column})
        return Correct()

    def same(self, answer: Any, reference: Any) -> bool:
        import pandas as pd

        if not isinstance(answer, pd.DataFrame) or not isinstance(reference, pd.DataFrame):
            return False
        columns = list(reference.columns)
        if any(c not in answer.columns for c in columns) or len(answer) != len(reference):
            return False
        a, r = self._prepare(answer), self._prepare(reference)
        return all(close(list(a[c]), list(r[c]), self.rel_tol, self.abs_tol) for c in columns)


@dataclass(frozen=True)
class Function:
    """A function answer, called on cases and compared with a reference function.

    Parameters
    ----------
    reference : callable
        The right function.
    cases : tuple of tuple, or callable
        Positional arguments of each call, or a zero-argument function giving them (called
        on the first check, e.g. to read bundled datasets only when they are needed).
    """

    reference: Callable[..., Any]
    cases: tuple[tuple[Any, ...], ...] | Callable[[], tuple[tuple[Any, ...], ...]]
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9

    kind = "code"

    @cached_property
    def _cases(self) -> tuple[tuple[Any, ...], ...]:
        return tuple(resolve(self.cases))

    def _call(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        # a learner's function may change a table in place: give it a copy, keep the cases intact
        args = tuple(a.copy() if hasattr(a, "columns") else a for a in args)
        try:
            return function(*args)
        except Exception as error:  # the learner's code: report it, never raise at them
            raise LearnerCodeFailed(error, _format_args(args)) from None

    def evaluate(self, answer: Any) -> Outcome:
        if not callable(answer):
            return Incorrect("exercises.function.kind", {"got": type(answer).__name__})
        for args in self._cases:
            got = self._call(answer, args)
            if contains_blank(got):
                return NotAttempted("exercises.function.blank")
            if not close(got, self.reference(*args), self.rel_tol, self.abs_tol):
                return Incorrect("exercises.function.case", {"case": _format_args(args), "got": short_repr(got)})
        return Correct("exercises.function.correct", {"count": len(self._cases)})

    def same(self, answer: Any, reference: Any) -> bool:
        if not callable(answer):
            return False
        return all(
            close(self._call(answer, args), reference(*args), self.rel_tol, self.abs_tol) for args in self._cases
        )


def _format_args(args: tuple[Any, ...]) -> str:
    return "(" + ", ".join(short_repr(a, 30) for a in args) + ")"
