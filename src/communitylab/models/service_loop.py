"""Model 2: closed-loop service (module 02).

Members flow through five stocks (aggregate, in people): prospects ``P`` in the
addressable audience, new members ``N``, active ``A``, loyal ``L`` and churned
``C``; satisfaction ``Sat`` lies in [0, 1]. One Euler step per day:

    members    = N + A + L
    acquisition = (p + q * members / M + r_ref * L / M) / 365 * P      (Bass 1969 + referral)
    answered   = min(1, capacity / (issue_rate * members))
    Sat*       = S0 + (1 - S0) * g_fb * closure * answered
    Sat       <- Sat + (Sat* - Sat) / tau_S
    N -> A     = onboard * (0.3 + 0.7 * follow) * N
    N -> C     = early_churn * (1 - follow) * N
    A -> L     = loyal_rate * Sat * A
    A -> C     = churn_A * 2 * (1 - Sat) * A
    L -> C     = churn_L * L

Every flow leaves one stock and enters another, so ``P + N + A + L + C`` stays
equal to ``M``. Closing the loop (``closure`` = 1) means every answer is
reported back ("you said, we did"); the open loop (``closure`` = 0) answers
issues without telling anyone what changed.

Spec shorthand -> names here: M market_size, p outreach_rate, q word_of_mouth,
r_ref referral_pull, seed_N founding_members, onboard onboarding_rate, follow
follow_up_share, early_churn early_churn, issue_rate issue_rate, capacity
answer_capacity, closure loop_closure, S0 base_satisfaction, g_fb feedback_gain,
tau_S satisfaction_lag_days, loyal_rate loyalty_rate, churn_A active_churn,
churn_L loyal_churn.

The model is deterministic: ``seed`` is accepted (every model has the same
signature) and ignored.

References
----------
Bass (1969) Management Science 15(5):215-227; Sultan, Farley & Lehmann (1990)
J. Marketing Research 27(1):70-77 for the average p and q. The follow-up,
closure and satisfaction parameters are a course assumption. See the Info panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._params import ModelParams, param
from communitylab.models._sweep import sweep_model

__all__ = [
    "Params",
    "Result",
    "Scenarios",
    "simulate",
    "simulate_many",
    "sweep",
    "bass_adoption",
    "bass_peak",
]

#: Longest horizon :func:`simulate_many` accepts through its ``days`` override
#: (30 years, what the Bass anchor needs); the slider range of ``days`` is shorter.
MAX_DAYS = 30 * 365

#: Added to the answering capacity so that zero capacity and zero issues give a
#: defined answered share without a division by zero; far below one issue.
_TINY_CAPACITY = 1e-12


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the closed-loop service model. Bass rates are per year, the rest per day."""

    model: ClassVar[str] = "service_loop"

    # Acquisition (Bass diffusion plus referral)
    market_size: int = param(10000, unit="people", lo=100, hi=10_000_000, integer=True, group="acquisition", log=True)
    outreach_rate: float = param(0.03, unit="1/yr", lo=0, hi=0.5, step=0.005, group="acquisition")
    word_of_mouth: float = param(0.38, unit="1/yr", lo=0, hi=2, step=0.01, group="acquisition")
    referral_pull: float = param(0.5, unit="1/yr", lo=0, hi=5, step=0.05, group="acquisition")
    founding_members: int = param(50, unit="people", lo=0, hi=10_000_000, integer=True, group="acquisition", log=True)
    # Onboarding
    onboarding_rate: float = param(0.10, unit="1/day", lo=0, hi=1, step=0.01, group="onboarding")
    follow_up_share: float = param(0.5, unit="fraction", lo=0, hi=1, step=0.05, group="onboarding")
    early_churn: float = param(0.05, unit="1/day", lo=0, hi=0.5, step=0.01, group="onboarding")
    # Service
    issue_rate: float = param(0.02, unit="issues/member/day", lo=0, hi=0.5, step=0.005, group="service")
    answer_capacity: float = param(20.0, unit="issues/day", lo=0, hi=1000, step=1, group="service")
    loop_closure: float = param(1.0, unit="fraction", lo=0, hi=1, step=0.05, group="service")
    # Retention
    base_satisfaction: float = param(0.4, unit="0-1", lo=0, hi=1, step=0.05, group="retention")
    feedback_gain: float = param(0.5, unit="0-1", lo=0, hi=1, step=0.05, group="retention")
    satisfaction_lag_days: float = param(14.0, unit="days", lo=1, hi=180, step=1, group="retention")
    loyalty_rate: float = param(0.02, unit="1/day", lo=0, hi=0.2, step=0.005, group="retention")
    active_churn: float = param(0.01, unit="1/day", lo=0, hi=0.2, step=0.001, group="retention")
    loyal_churn: float = param(0.002, unit="1/day", lo=0, hi=0.05, step=0.001, group="retention")
    # Simulation
    days: int = param(365, unit="days", lo=30, hi=1825, step=5, integer=True, group="simulation")

    def _check_consistency(self) -> None:
        if self.founding_members > self.market_size:
            raise ValueError(
                f"{self.model}.founding_members = {self.founding_members!r} is outside the allowed range "
                f"[0, {self.market_size}] people (it cannot exceed market_size)"
            )


@dataclass(frozen=True)
class Result:
    """Trajectory of one run. Every array has shape ``(days,)``; entry ``d`` is the end of day ``d``.

    Attributes
    ----------
    params : Params
        The parameters of the run.
    day : (days,) ndarray of int
        Day index (0 is the first day).
    prospects, new, active, loyal, churned : (days,) ndarray of float
        Stocks in people; their sum is ``market_size`` every day.
    satisfaction : (days,) ndarray of float
        Mean member satisfaction, in [0, 1].
    answered : (days,) ndarray of float
        Share of the day's issues the team answered, in [0, 1].
    joined : (days,) ndarray of float
        Cumulative people acquired from the audience (founding members not included).
    """

    params: Params
    day: NDArray[np.int64]
    prospects: NDArray[np.float64]
    new: NDArray[np.float64]
    active: NDArray[np.float64]
    loyal: NDArray[np.float64]
    churned: NDArray[np.float64]
    satisfaction: NDArray[np.float64]
    answered: NDArray[np.float64]
    joined: NDArray[np.float64]

    @property
    def members(self) -> NDArray[np.float64]:
        """Members (new + active + loyal) at the end of each day, shape ``(days,)``."""
        return self.new + self.active + self.loyal

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

        Returns
        -------
        dict
            ``members`` (people), ``loyal_share_pct`` (% of members who are loyal),
            ``churned`` (people who left, cumulative), ``backlog_pct`` (% of the
            day's issues left unanswered), ``satisfaction`` (0-1), ``joined``
            (people acquired, cumulative).
        """
        return _summaries(self)

    def series(self) -> dict[str, NDArray[np.float64]]:
        """The per-day series by name (for tables and charts)."""
        return {
            "prospects": self.prospects,
            "new": self.new,
            "active": self.active,
            "loyal": self.loyal,
            "churned": self.churned,
            "members": self.members,
            "satisfaction": self.satisfaction,
            "answered": self.answered,
            "joined": self.joined,
        }


@dataclass(frozen=True)
class Scenarios:
    """Trajectories of ``S`` scenarios run together; arrays have shape ``(S, days)``.

    Attributes
    ----------
    params : tuple of Params
        The parameters of each scenario, in order.
    day : (days,) ndarray of int
        Day index; its length is the horizon actually run, which differs from
        ``params[i].days`` when :func:`simulate_many` was given ``days=``.
    prospects, new, active, loyal, churned, satisfaction, answered, joined : (S, days) ndarray of float
        As in :class:`Result`, one row per scenario.
    """

    params: tuple[Params, ...]
    day: NDArray[np.int64]
    prospects: NDArray[np.float64]
    new: NDArray[np.float64]
    active: NDArray[np.float64]
    loyal: NDArray[np.float64]
    churned: NDArray[np.float64]
    satisfaction: NDArray[np.float64]
    answered: NDArray[np.float64]
    joined: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.params)

    def __getitem__(self, index: int) -> Result:
        """One scenario as a :class:`Result`."""
        arrays = {name: np.ascontiguousarray(getattr(self, name)[index]) for name in _STOCK_NAMES}
        return Result(params=self.params[index], day=self.day, **arrays)

    @property
    def members(self) -> NDArray[np.float64]:
        """Members (new + active + loyal), shape ``(S, days)``."""
        return self.new + self.active + self.loyal

    def summary(self) -> dict[str, NDArray[np.float64]]:
        """Monitor values on the last day, each an ``(S,)`` array (keys as in :meth:`Result.summary`)."""
        return _summaries(self)


_STOCK_NAMES = ("prospects", "new", "active", "loyal", "churned", "satisfaction", "answered", "joined")


def _summaries(run: Result | Scenarios) -> dict[str, Any]:
    """Last-day monitors of a single run (floats) or of many (``(S,)`` arrays)."""
    last = (..., -1)
    members = run.new[last] + run.active[last] + run.loyal[last]
    loyal_share = np.divide(run.loyal[last], members, out=np.zeros_like(members), where=members > 0)
    values = {
        "members": members,
        "loyal_share_pct": 100 * loyal_share,
        "churned": run.churned[last],
        "backlog_pct": 100 * (1.0 - run.answered[last]),
        "satisfaction": run.satisfaction[last],
        "joined": run.joined[last],
    }
    if isinstance(run, Result):
        return {key: float(value) for key, value in values.items()}
    return {key: np.asarray(value, dtype=float) for key, value in values.items()}


def _integrate(scenarios: Sequence[Params], days: int) -> dict[str, NDArray[np.float64]]:
    """Step every scenario ``days`` times; returns ``(days, S)`` arrays by stock name.

    With one scenario the state is held in Python floats, which are about twenty
    times faster than size-1 arrays; with several it is held in ``(S,)`` arrays.
    Both follow the same arithmetic, so a scenario gives the same numbers either way.
    """
    count = len(scenarios)

    def column(name: str):
        values = np.array([getattr(s, name) for s in scenarios], dtype=float)
        return float(values[0]) if count == 1 else values

    maximum = max if count == 1 else np.maximum
    shape = (days,) if count == 1 else (days, count)

    market = column("market_size")
    # Bass and referral rates are per year; fold 1/365 and 1/M in once.
    outreach = column("outreach_rate") / 365
    word_of_mouth = column("word_of_mouth") / (365 * market)
    referral = column("referral_pull") / (365 * market)
    follow = column("follow_up_share")
    onboard = column("onboarding_rate") * (0.3 + 0.7 * follow)
    early_churn = column("early_churn") * (1.0 - follow)
    capacity = column("answer_capacity") + _TINY_CAPACITY
    issue_rate = column("issue_rate")
    base = column("base_satisfaction")
    lift = (1.0 - base) * column("feedback_gain") * column("loop_closure")
    inverse_lag = 1.0 / column("satisfaction_lag_days")
    loyalty = column("loyalty_rate")
    active_churn = 2.0 * column("active_churn")  # churn_A is the rate at Sat = 0.5
    loyal_churn = column("loyal_churn")

    founding = column("founding_members")
    prospects, new, active, loyal, churned = market - founding, founding, 0.0 * founding, 0.0 * founding, 0.0 * founding
    satisfaction, joined = base + 0.0 * founding, 0.0 * founding
    out = {name: np.empty(shape) for name in _STOCK_NAMES}
    out_p, out_n, out_a, out_l, out_c = (out[k] for k in ("prospects", "new", "active", "loyal", "churned"))
    out_s, out_q, out_j = out["satisfaction"], out["answered"], out["joined"]

    # Rates stay inside their ranges, so no flow can drain more than its stock holds:
    # onboarding + early churn <= 1 * N per day, A's outflows <= 0.6 * A, acquisition < 0.03 * P.
    for day in range(days):
        members = new + active + loyal
        load = issue_rate * members
        answered = capacity / maximum(load, capacity)
        satisfaction = satisfaction + (base + lift * answered - satisfaction) * inverse_lag
        acquired = (outreach + word_of_mouth * members + referral * loyal) * prospects
        onboarded = onboard * new
        left_early = early_churn * new
        promoted = loyalty * satisfaction * active
        left_active = active_churn * (1.0 - satisfaction) * active
        left_loyal = loyal_churn * loyal
        prospects = prospects - acquired
        new = new + acquired - onboarded - left_early
        active = active + onboarded - promoted - left_active
        loyal = loyal + promoted - left_loyal
        churned = churned + left_early + left_active + left_loyal
        joined = joined + acquired
        out_p[day], out_n[day], out_a[day], out_l[day], out_c[day] = prospects, new, active, loyal, churned
        out_s[day], out_q[day], out_j[day] = satisfaction, answered, joined
    return out


def _scenario_list(params: Params | Sequence[Params], field: str | None, values: Iterable[Any] | None) -> list[Params]:
    """Normalise the ways of naming scenarios into a validated list of Params."""
    if field is None and values is None:
        scenarios = [params] if isinstance(params, Params) else list(params)
    elif field is not None and values is not None:
        if not isinstance(params, Params):
            raise ValueError("give one base Params together with field and values")
        if field not in Params.specs():
            raise ValueError(f"{Params.model} has no parameter {field!r}; known: {', '.join(Params.specs())}")
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
    out = _integrate(scenarios, days)
    if len(scenarios) == 1:
        arrays = {name: values[None, :] for name, values in out.items()}
    else:
        arrays = {name: np.ascontiguousarray(values.T) for name, values in out.items()}
    return Scenarios(params=tuple(scenarios), day=np.arange(days), **arrays)


def simulate(params: Params, seed: int = 0) -> Result:
    """Simulate one scenario over ``params.days`` days (the ``S = 1`` case of :func:`simulate_many`).

    Parameters
    ----------
    params : Params
        Model parameters.
    seed : int
        Accepted for a uniform interface; the model is deterministic.

    Returns
    -------
    Result
        The whole trajectory.
    """
    if not isinstance(params, Params):
        raise ValueError(f"expected {Params.model} Params, got {type(params).__name__}")
    out = _integrate([params], params.days)
    return Result(params=params, day=np.arange(params.days), **out)


def sweep(params: Params, field: str, values, runs: int = 1, seed: int = 0, progress: bool | None = None):
    """Summaries of runs over values of one parameter, as a tidy DataFrame (see :func:`sweep_model`).

    The model is deterministic, so ``runs > 1`` repeats identical rows; it is kept
    for the common interface.
    """
    return sweep_model(simulate, params, field, values, runs=runs, seed=seed, progress=progress)


def bass_adoption(p: float, q: float, years) -> NDArray[np.float64]:
    """Cumulative adopted share of the market in the continuous Bass (1969) model.

    ``F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))``.

    Parameters
    ----------
    p : float
        Coefficient of innovation (1/yr), ``>= 0``.
    q : float
        Coefficient of imitation (1/yr), ``>= 0``.
    years : array_like of float
        Times since launch (yr), ``>= 0``.

    Returns
    -------
    ndarray of float
        ``F(t)`` in [0, 1], same shape as ``years``.

    Examples
    --------
    >>> round(float(bass_adoption(0.03, 0.38, 1.0)), 4)
    0.0358
    """
    if p < 0 or q < 0:
        raise ValueError(f"Bass coefficients must be >= 0, got p = {p!r}, q = {q!r}")
    t = np.asarray(years, dtype=float)
    if p == 0:
        return np.zeros_like(t)  # without innovators nobody is ever first
    decay = np.exp(-(p + q) * t)
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def bass_peak(p: float, q: float) -> tuple[float, float]:
    """Year of peak adoption and the adopted share then, in the continuous Bass model.

    Returns
    -------
    (float, float)
        ``ln(q / p) / (p + q)`` (yr) and ``1/2 - p / (2 q)``; ``(0, 0)`` when
        ``q <= p`` (adoption is fastest at launch).
    """
    if p <= 0 or q <= p:
        return 0.0, 0.0
    return float(np.log(q / p) / (p + q)), 0.5 - p / (2 * q)
