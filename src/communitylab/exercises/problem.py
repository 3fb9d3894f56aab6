"""Exercises declared as data, and the logic that checks an answer.

Nothing here displays anything: an :class:`Exercise` turns an answer into an
:class:`Outcome` (``Correct``, ``Incorrect``, ``NotAttempted`` or ``CodeError``)
whose message is a catalog key plus values, so the same outcome can be shown in
English or Chinese, as HTML or as text, in a notebook or in a Voila panel
(:mod:`communitylab.exercises.view` does the showing).

Two kinds of exercise share one shape:

* **code answers**: the learner assigns a value (:class:`Value`), builds a
  DataFrame (:class:`Frame`) or writes a function checked on cases
  (:class:`Function`);
* **simulation targets** (:class:`Target`): the learner chooses some parameters
  of a model; the check runs ``communitylab.models.<model>.simulate`` on them and
  reports each goal's measured value against its threshold, never the parameters
  that would reach it.

The learner's starting code holds the placeholder :data:`____`; an answer that
still contains it counts as *not attempted*, never as wrong.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from communitylab.i18n import t

__all__ = [
    "____",
    "Blank",
    "contains_blank",
    "Outcome",
    "Correct",
    "Incorrect",
    "NotAttempted",
    "CodeError",
    "Value",
    "Frame",
    "Function",
    "Goal",
    "Target",
    "Known",
    "Exercise",
    "MISSING",
]


class Blank:
    """The placeholder a learner replaces. There is exactly one: :data:`____`."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self):
        # pickling (e.g. across processes) must give back the same singleton
        return (Blank, ())


#: Placeholder in starter code: "fill me in".
____ = Blank()


class _Missing:
    """Marker for "the learner has not defined the name at all"."""

    def __repr__(self) -> str:
        return "<missing>"


#: The answer when the learner's name is not defined in the notebook.
MISSING = _Missing()


def contains_blank(value: Any, _depth: int = 0) -> bool:
    """Whether ``value`` is :data:`____` or holds it inside a list, tuple, set or dict."""
    if value is ____:
        return True
    if _depth > 4:
        return False
    if isinstance(value, Mapping):
        return any(contains_blank(v, _depth + 1) or k is ____ for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(contains_blank(v, _depth + 1) for v in value)
    return False


# -- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Result of checking one answer.

    Attributes
    ----------
    key : str
        Catalog key of the main message.
    values : dict
        Values filled into the message's placeholders.
    lines : tuple of (str, dict)
        Further catalog messages shown as a list under the main one (e.g. one per goal
        of a simulation target).
    wrong : str or None
        Id of the known-wrong answer this answer matched, if any.
    """

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    lines: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    wrong: str | None = None

    status = "outcome"

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def message(self, lang: str | None = None) -> str:
        """The main message in ``lang`` (default: the current language)."""
        return t(self.key, lang, **_localise(self.values, lang))

    def details(self, lang: str | None = None) -> list[str]:
        """The further lines in ``lang``."""
        return [t(key, lang, **_localise(values, lang)) for key, values in self.lines]

    def text(self, lang: str | None = None) -> str:
        """Main message and details as plain text."""
        return "\n".join([self.message(lang)] + [f"  - {line}" for line in self.details(lang)])


@dataclass(frozen=True)
class Correct(Outcome):
    key: str = "exercises.outcome.correct"
    status = "correct"


@dataclass(frozen=True)
class Incorrect(Outcome):
    key: str = "exercises.outcome.incorrect"
    status = "incorrect"


@dataclass(frozen=True)
class NotAttempted(Outcome):
    key: str = "exercises.outcome.not_attempted"
    status = "not_attempted"


@dataclass(frozen=True)
class CodeError(Outcome):
    """The learner's own code raised while being checked (or the answer could not be checked)."""

    key: str = "exercises.outcome.code_error"
    status = "error"


class _LearnerCodeFailed(Exception):
    """Raised inside a check when the learner's function raises; carries a summary."""

    def __init__(self, error: BaseException, case: str) -> None:
        super().__init__(str(error))
        self.summary = summarise_exception(error)
        self.case = case


def summarise_exception(error: BaseException) -> str:
    """``"ZeroDivisionError: division by zero (line 3)"``: the learner's error in one line."""
    text = f"{type(error).__name__}: {error}".strip().rstrip(":")
    frames = traceback.extract_tb(error.__traceback__)
    # The innermost frame that is not ours is the learner's own line.
    own = [f for f in frames if "communitylab" not in f.filename.replace("\\", "/").split("/site-packages/")[-1]]
    if own and own[-1].lineno:
        text += f" (line {own[-1].lineno})"
    return text if len(text) <= 200 else text[:197] + "..."


class _Localised:
    """A value whose text depends on the language (a catalog key), resolved at display time."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"_Localised({self.key!r})"


def _localise(values: Mapping[str, Any], lang: str | None) -> dict[str, Any]:
    return {k: (t(v.key, lang) if isinstance(v, _Localised) else v) for k, v in values.items()}


# -- comparing values ---------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def close(answer: Any, expected: Any, rel_tol: float, abs_tol: float) -> bool:
    """Whether ``answer`` equals ``expected`` within tolerance, recursively.

    Numbers compare with ``math.isclose``; strings ignoring case and surrounding
    spaces; sequences and arrays element by element (same length); dicts key by key.
    """
    if _is_number(expected):
        return _is_number(answer) and math.isclose(float(answer), float(expected), rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(expected, (bool, np.bool_)):
        return isinstance(answer, (bool, np.bool_)) and bool(answer) == bool(expected)
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip().casefold() == expected.strip().casefold()
    if isinstance(expected, Mapping):
        return (
            isinstance(answer, Mapping)
            and set(answer) == set(expected)
            and all(close(answer[k], expected[k], rel_tol, abs_tol) for k in expected)
        )
    if isinstance(expected, (list, tuple, np.ndarray)):
        if isinstance(answer, (str, bytes, Mapping)) or not isinstance(answer, (Sequence, np.ndarray)):
            return False
        a = np.asarray(answer, dtype=object).ravel() if not isinstance(answer, np.ndarray) else answer.ravel()
        e = np.asarray(expected, dtype=object).ravel() if not isinstance(expected, np.ndarray) else expected.ravel()
        return len(a) == len(e) and all(close(x, y, rel_tol, abs_tol) for x, y in zip(a, e))
    return answer == expected


def _kind_of(value: Any) -> str:
    if _is_number(value):
        return "number"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "dict"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "list"
    return type(value).__name__


def short_repr(value: Any, limit: int = 60) -> str:
    """A compact, stable description of an answer for the progress file."""
    if _is_number(value):
        text = f"{float(value):.4g}"
    elif isinstance(value, str):
        text = repr(value.strip())
    elif isinstance(value, Mapping):
        text = (
            "{"
            + ", ".join(f"{k}={short_repr(v, 20)}" for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
            + "}"
        )
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(short_repr(v, 20) for v in value) + "]"
    elif callable(value):
        text = "<function>"
    elif hasattr(value, "shape"):
        text = f"<{type(value).__name__} {getattr(value, 'shape', '')}>"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _resolve(expected: Any) -> Any:
    """Expected values may be given as a zero-argument function (computed once, on first check)."""
    return expected() if callable(expected) else expected


# -- checks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
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

    kind = "code"

    @cached_property
    def _expected(self) -> Any:
        return _resolve(self.expected)

    def evaluate(self, answer: Any) -> Outcome:
        expected = self._expected
        if close(answer, expected, self.rel_tol, self.abs_tol):
            return Correct()
        want, got = _kind_of(expected), _kind_of(answer)
        if want != got and not (want == "list" and got == "list"):
            return Incorrect("exercises.value.kind", {"want": _Localised(f"exercises.kind.{want}"), "got": got})
        if want == "list" and len(np.ravel(np.asarray(answer, dtype=object))) != len(
            np.ravel(np.asarray(expected, dtype=object))
        ):
            return Incorrect("exercises.value.length", {"got": len(np.ravel(np.asarray(answer, dtype=object)))})
        return Incorrect("exercises.value.wrong")

    def same(self, answer: Any, reference: Any) -> bool:
        return close(answer, reference, self.rel_tol, self.abs_tol)


@dataclass(frozen=True)
class Frame:
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

    kind = "code"

    @cached_property
    def _expected(self) -> Any:
        return _resolve(self.expected)

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
    cases : tuple of tuple
        Positional arguments of each call.
    """

    reference: Callable[..., Any]
    cases: tuple[tuple[Any, ...], ...]
    rel_tol: float = 1e-6
    abs_tol: float = 1e-9

    kind = "code"

    def _call(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        try:
            return function(*args)
        except Exception as error:  # the learner's code: report it, never raise at them
            raise _LearnerCodeFailed(error, _format_args(args)) from None

    def evaluate(self, answer: Any) -> Outcome:
        if not callable(answer):
            return Incorrect("exercises.function.kind", {"got": type(answer).__name__})
        for args in self.cases:
            got = self._call(answer, args)
            if contains_blank(got):
                return NotAttempted("exercises.function.blank")
            if not close(got, self.reference(*args), self.rel_tol, self.abs_tol):
                return Incorrect("exercises.function.case", {"case": _format_args(args), "got": short_repr(got)})
        return Correct("exercises.function.correct", {"count": len(self.cases)})

    def same(self, answer: Any, reference: Any) -> bool:
        if not callable(answer):
            return False
        return all(close(self._call(answer, args), reference(*args), self.rel_tol, self.abs_tol) for args in self.cases)


def _format_args(args: tuple[Any, ...]) -> str:
    return "(" + ", ".join(short_repr(a, 30) for a in args) + ")"


@dataclass(frozen=True)
class Goal:
    """One goal of a simulation target: a measured quantity and a threshold.

    Parameters
    ----------
    label : str
        Catalog key naming the quantity for the learner (e.g. "members engaged on day 90").
    measure : str or callable
        A key of the result's ``summary()``, or a function ``result -> float``.
    at_least, at_most : float, optional
        The threshold(s). With several seeds the worst seed counts.
    unit : str
        Shown after the numbers (``"%"``, ``"members"``).
    digits : int
        Decimals shown.
    """

    label: str
    measure: str | Callable[[Any], float]
    at_least: float | None = None
    at_most: float | None = None
    unit: str = ""
    digits: int = 1

    def value(self, result: Any) -> float:
        if callable(self.measure):
            return float(self.measure(result))
        return float(result.summary()[self.measure])

    def met(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.at_most is not None and value > self.at_most)

    def worst(self, values: list[float]) -> float:
        if self.at_least is not None:
            return min(values)
        return max(values)

    def line(self, value: float) -> tuple[str, dict[str, Any]]:
        """Catalog key and values of the feedback line for a measured ``value``."""
        if self.at_least is not None and self.at_most is not None:
            goal_key, threshold = (
                "exercises.target.between",
                f"{self.at_least:.{self.digits}f}–{self.at_most:.{self.digits}f}",
            )
        elif self.at_least is not None:
            goal_key, threshold = "exercises.target.at_least", f"{self.at_least:.{self.digits}f}"
        else:
            goal_key, threshold = "exercises.target.at_most", f"{self.at_most:.{self.digits}f}"

        def with_unit(text: str) -> str:
            return f"{text} {self.unit}".strip() if text != "—" else text

        shown = f"{value:.{self.digits}f}" if math.isfinite(value) else "—"
        met = self.met(value)
        if met:
            gap = ""
        elif not math.isfinite(value):
            gap = "—"
        elif self.at_least is not None and value < self.at_least:
            gap = f"{self.at_least - value:.{self.digits}f}"
        else:
            gap = f"{value - self.at_most:.{self.digits}f}"
        key = "exercises.target.goal_met" if met else "exercises.target.goal_missed"
        return key, {
            "label": _Localised(self.label),
            "value": with_unit(shown),
            "goal": _Localised(goal_key),
            "threshold": with_unit(threshold),
            "gap": with_unit(gap) if gap else "",
        }


@dataclass(frozen=True)
class Target:
    """A simulation target: choose some of a model's parameters so every goal is met.

    The answer is a dict ``{parameter: value}`` of the parameters in ``choose``, a
    ``Params`` object of the model, or a lab (anything with a ``params`` attribute
    holding the model's ``Params``). Parameters not in ``choose`` keep the
    scenario's ``scenario`` settings (else the model defaults); changing one is
    reported as not allowed.

    Parameters
    ----------
    model : str
        Model name (``communitylab.models.<model>``).
    choose : tuple of str
        Parameters the learner sets.
    goals : tuple of Goal
        Every goal must be met.
    scenario : dict
        Fixed settings of the scenario that differ from the model defaults.
    seeds : tuple of int
        Seeds to run; each goal must hold on the worst of them.
    """

    model: str
    choose: tuple[str, ...]
    goals: tuple[Goal, ...]
    scenario: Mapping[str, Any] = field(default_factory=dict)
    seeds: tuple[int, ...] = (0,)

    kind = "target"

    @cached_property
    def module(self):
        from communitylab.models import get_model

        return get_model(self.model)

    def chosen(self, answer: Any) -> dict[str, Any] | Outcome:
        """The learner's chosen parameters, or an Incorrect outcome saying why they can't be used."""
        Params = self.module.Params
        if hasattr(answer, "params") and not isinstance(answer, Mapping) and isinstance(answer.params, Params):
            answer = answer.params
        if isinstance(answer, Params):
            base = Params(**self.scenario)
            changed = [n for n in Params.specs() if n not in self.choose and getattr(answer, n) != getattr(base, n)]
            if changed:
                return Incorrect("exercises.target.locked", {"names": ", ".join(changed)})
            return {n: getattr(answer, n) for n in self.choose}
        if not isinstance(answer, Mapping):
            return Incorrect("exercises.target.kind", {"got": type(answer).__name__, "names": ", ".join(self.choose)})
        unknown = [str(n) for n in answer if n not in Params.specs()]
        if unknown:
            return Incorrect("exercises.target.unknown", {"names": ", ".join(unknown)})
        locked = [str(n) for n in answer if n not in self.choose]
        if locked:
            return Incorrect("exercises.target.locked", {"names": ", ".join(locked)})
        return dict(answer)

    def params(self, chosen: Mapping[str, Any]):
        return self.module.Params(**{**dict(self.scenario), **dict(chosen)})

    def evaluate(self, answer: Any) -> Outcome:
        chosen = self.chosen(answer)
        if isinstance(chosen, Outcome):
            return chosen
        try:
            params = self.params(chosen)
        except (TypeError, ValueError) as error:
            return Incorrect("exercises.target.invalid", {"reason": str(error)})
        results = [self.module.simulate(params, seed=seed) for seed in self.seeds]
        lines, all_met = [], True
        for goal in self.goals:
            value = goal.worst([goal.value(r) for r in results])
            all_met &= goal.met(value)
            lines.append(goal.line(value))
        if all_met:
            return Correct("exercises.target.reached", lines=tuple(lines))
        return Incorrect("exercises.target.missed", lines=tuple(lines))

    def same(self, answer: Any, reference: Any) -> bool:
        # known-wrong answers of a target see the chosen dict (see Exercise.evaluate)
        chosen = answer if isinstance(answer, Mapping) else self.chosen(answer)
        return not isinstance(chosen, Outcome) and close(dict(chosen), dict(reference), 1e-9, 1e-12)


# -- the exercise -------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A known wrong answer and the specific message it deserves.

    Parameters
    ----------
    id : str
        Short name, used in the progress file and the room summary ("forgot_own_group").
    message : str
        Catalog key of the message.
    answer : any, optional
        The wrong answer (a value, a wrong reference function, or for a target a dict of
        chosen parameters), compared the same way the check compares.
    when : callable, optional
        Instead of ``answer``: a predicate on the learner's answer (for a target: on the
        dict of chosen parameters).
    tolerance : float, optional
        Absolute tolerance for comparing with ``answer`` (default: the check's own).
    example : any, optional
        An answer that triggers ``when`` (or a zero-argument function building one); the
        tests use it to prove the message is reachable.
    """

    id: str
    message: str
    answer: Any = None
    when: Callable[[Any], bool] | None = None
    example: Any = None
    tolerance: float | None = None

    def sample(self, check: Any) -> Any:
        """A concrete answer that should produce this message (for tests and demos)."""
        if self.example is not None:
            return _resolve(self.example)
        if isinstance(check, Function):
            return self.answer
        return _resolve(self.answer)

    def matches(self, answer: Any, check: Any) -> bool:
        if self.when is not None:
            return bool(self.when(answer))
        if self.tolerance is not None:  # tighter than the check's, to tell close wrong answers apart
            return close(answer, _resolve(self.answer), 0.0, self.tolerance)
        return check.same(answer, _resolve(self.answer) if not isinstance(check, Function) else self.answer)


@dataclass(frozen=True)
class Exercise:
    """One exercise, declared as data.

    Parameters
    ----------
    id : str
        Stable id, ``"m01.q1"``; progress records use it.
    title, prompt : str
        Catalog keys of the title and the task text (markdown).
    name : str
        The variable (or function) the learner fills in; ``check()`` looks it up in the
        notebook's namespace.
    check : Value, Frame, Function or Target
        How an answer is judged.
    starter : str
        The code the learner starts from, with ``____`` where the answer goes.
    solution : str
        Code that solves it (shown once earned; the tests run it).
    known_wrong : tuple of Known
        Wrong answers with their own messages, tried in order after the check fails.
    hints : tuple of str
        Catalog keys of the hints, in the order they are given.
    reveal_after : int
        Checks (not counting blanks) before the solution can be shown.
    """

    id: str
    title: str
    prompt: str
    name: str
    check: Any
    starter: str
    solution: str
    known_wrong: tuple[Known, ...] = ()
    hints: tuple[str, ...] = ()
    reveal_after: int = 2

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
                judged = self.check.chosen(answer)
            else:
                judged = answer
            for known in self.known_wrong:
                if known.matches(judged, self.check):
                    return Incorrect(known.message, lines=outcome.lines, wrong=known.id)
            return outcome
        except _LearnerCodeFailed as failed:
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
