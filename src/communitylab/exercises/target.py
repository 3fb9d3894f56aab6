"""Simulation targets: the learner chooses some parameters of a model and every :class:`Goal` must be met.

The check runs the model on the chosen parameters and reports each goal's
measured value against its threshold, never the parameters that would reach it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from communitylab.exercises.compare import close
from communitylab.exercises.outcome import Correct, Incorrect, Localised, Outcome

__all__ = ["Goal", "Target"]


@dataclass(frozen=True)
class Goal:
    """One goal of a simulation target: a measured quantity and a threshold.

    Parameters
    ----------
    label : str
        Catalog key naming the quantity for the learner (e.g. "members engaged on day 90"), or
        a short name (``"reads"``) that the exercise turns into ``exNN.goal.reads``.
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
        if not all(math.isfinite(v) for v in values):  # a run with nothing to measure fails the goal
            return math.nan
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

        def with_unit(text: str) -> Localised | str:
            # units read differently per language ("people" / "人"); "%" and the like fall back as written
            if text == "—" or not self.unit:
                return text
            space = "" if self.unit == "%" else " "  # 30% in both languages, as the style guide writes it
            return Localised(f"common.unit.{self.unit}", before=f"{text}{space}", fallback=self.unit)

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
            "label": Localised(self.label),
            "value": with_unit(shown),
            "goal": Localised(goal_key),
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
    run : callable, optional
        ``run(params, seed)`` giving what the goals measure, when that is not the model's
        own result (e.g. module 07 measures the dashboard of the chat log a run writes).
        By default ``communitylab.models.<model>.simulate``.
    """

    model: str
    choose: tuple[str, ...]
    goals: tuple[Goal, ...]
    scenario: Mapping[str, Any] = field(default_factory=dict)
    seeds: tuple[int, ...] = (0,)
    run: Callable[[Any, int], Any] | None = None

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

    def plan(self, answer: Any) -> dict[str, Any] | Outcome:
        """Every chosen parameter, the learner's value or else the scenario's (what known wrong plans test)."""
        chosen = self.chosen(answer)
        if isinstance(chosen, Outcome):
            return chosen
        params = self.params(chosen)
        return {name: getattr(params, name) for name in self.choose}

    def evaluate(self, answer: Any) -> Outcome:
        chosen = self.chosen(answer)
        if isinstance(chosen, Outcome):
            return chosen
        try:
            params = self.params(chosen)
        except (TypeError, ValueError) as error:
            return Incorrect("exercises.target.invalid", {"reason": str(error)})
        run = self.run or (lambda p, seed: self.module.simulate(p, seed=seed))
        results = [run(params, seed) for seed in self.seeds]
        lines, all_met = [], True
        for goal in self.goals:
            value = goal.worst([goal.value(r) for r in results])
            all_met &= goal.met(value)
            lines.append(goal.line(value))
        if all_met:
            return Correct("exercises.target.reached", lines=tuple(lines))
        return Incorrect("exercises.target.missed", lines=tuple(lines))

    def same(self, answer: Any, reference: Any) -> bool:
        # known-wrong answers of a target see the plan (see Exercise.evaluate)
        chosen = answer if isinstance(answer, Mapping) else self.plan(answer)
        return not isinstance(chosen, Outcome) and close(dict(chosen), dict(reference), 1e-9, 1e-12)
