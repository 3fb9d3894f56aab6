"""Many scenarios of the closed-loop service model at once, stepped as arrays.

A lab that compares, say, 64 values of ``loop_closure`` runs them in one pass of
:func:`~.model.integrate` over ``(S,)`` arrays instead of 64 single runs; each
scenario gives the same numbers as :func:`~.model.simulate` would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from communitylab.models._model import FloatArray, IntArray
from communitylab.models.service_loop.model import STOCKS, Params, Result, Stocks, integrate, last_day_monitors

__all__ = ["Scenarios", "simulate_many", "MAX_DAYS"]

#: Longest horizon :func:`simulate_many` accepts through its ``days`` override
#: (30 years, what the Bass anchor needs); the slider range of ``days`` is shorter.
MAX_DAYS = 30 * 365


@dataclass(frozen=True)
class Scenarios(Stocks):
    """Trajectories of ``S`` scenarios run together; arrays have shape ``(S, days)``.

    Attributes
    ----------
    params : tuple of Params
        The parameters of each scenario, in order.
    day : (days,) ndarray of int
        Day index; its length is the horizon actually run, which differs from
        ``params[i].days`` when :func:`simulate_many` was given ``days=``.
    prospects, new, active, loyal, churned, satisfaction, answered, joined : (S, days) ndarray of float
        :class:`Stocks`, one row per scenario.
    """

    params: tuple[Params, ...]
    day: IntArray

    def __len__(self) -> int:
        return len(self.params)

    def __getitem__(self, index: int) -> Result:
        """One scenario as a :class:`Result`."""
        arrays = {name: np.ascontiguousarray(getattr(self, name)[index]) for name in STOCKS}
        return Result(params=self.params[index], day=self.day, **arrays)

    def summary(self) -> dict[str, FloatArray]:
        """Monitor values on the last day, each an ``(S,)`` array (keys as in :meth:`Result.summary`)."""
        return last_day_monitors(self)


def _scenario_list(params: Params | Sequence[Params], field: str | None, values: Iterable[Any] | None) -> list[Params]:
    """Normalise the ways of naming scenarios into a validated list of Params."""
    if field is None and values is None:
        scenarios = [params] if isinstance(params, Params) else list(params)
    elif field is not None and values is not None:
        if not isinstance(params, Params):
            raise ValueError("give one base Params together with field and values")
        Params.spec(field)  # a clear error for an unknown name
        scenarios = [params.replace(**{field: value}) for value in values]
    else:
        raise ValueError("give both field and values, or neither")
    if not scenarios:
        raise ValueError("no scenarios to simulate")
    if not all(isinstance(s, Params) for s in scenarios):
        raise ValueError(f"every scenario must be a {Params.model} Params")
    return scenarios


def simulate_many(
    params: Params | Sequence[Params],
    field: str | None = None,
    values: Iterable[Any] | None = None,
    *,
    days: int | None = None,
    seed: int = 0,
) -> Scenarios:
    """Simulate ``S`` scenarios at once, stepping them as arrays.

    Parameters
    ----------
    params : Params or sequence of Params
        One base scenario (with ``field`` and ``values``) or the scenarios themselves.
    field : str, optional
        Parameter to vary across scenarios, e.g. ``"loop_closure"``.
    values : iterable, optional
        Values of ``field``; each is validated like any parameter.
    days : int, optional
        Horizon in days for every scenario (default: the scenarios' common ``days``).
        May exceed the slider range, up to 30 years (10,950 days), for long-run
        checks such as the Bass anchor.
    seed : int
        Accepted for a uniform interface; the model is deterministic.

    Returns
    -------
    Scenarios
        Arrays of shape ``(S, days)``.

    Raises
    ------
    ValueError
        For an unknown field, an out-of-range value, scenarios with different
        ``days`` and no override, or ``days`` outside [1, 10950].

    Examples
    --------
    >>> runs = simulate_many(Params(), "loop_closure", np.linspace(0, 1, 64))
    >>> runs.members.shape
    (64, 365)
    """
    scenarios = _scenario_list(params, field, values)
    if days is None:
        horizons = {s.days for s in scenarios}
        if len(horizons) != 1:
            raise ValueError(f"scenarios have different days {sorted(horizons)}; pass days= to choose one")
        days = horizons.pop()
    if isinstance(days, bool) or int(days) != days or not 1 <= days <= MAX_DAYS:
        raise ValueError(f"{Params.model}.days = {days!r} is outside the allowed range [1, {MAX_DAYS}] days")
    days = int(days)
    out = integrate(scenarios, days)
    if len(scenarios) == 1:
        arrays = {name: values[None, :] for name, values in out.items()}
    else:
        arrays = {name: np.ascontiguousarray(values.T) for name, values in out.items()}
    return Scenarios(params=tuple(scenarios), day=np.arange(days), **arrays)
