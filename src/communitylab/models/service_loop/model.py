"""Model 2: closed-loop service (module 02): parameters, stocks and the daily step.

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

Sources and course assumptions: :data:`SOURCES` and :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from communitylab.models._model import Assumption, DailyResult, Evidence, FloatArray, Model, Source
from communitylab.models._params import ModelParams, param, run_days

__all__ = ["MODEL", "Params", "Result", "Stocks", "simulate", "sweep"]

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
    days: int = run_days(hi=1825)

    def _check_consistency(self) -> None:
        if self.founding_members > self.market_size:
            raise ValueError(
                f"{self.model}.founding_members = {self.founding_members!r} is outside the allowed range "
                f"[0, {self.market_size}] people (it cannot exceed market_size)"
            )


#: Published works the model takes forms or numbers from.
SOURCES = (
    Source(
        "Bass (1969) A new product growth for model consumer durables, Management Science 15(5):215-227",
        "acquisition by innovation and imitation; the simulation reproduces the closed-form Bass curve "
        "(peak year, first-year and peak shares) with the loop switched off",
        Evidence.RECALLED,
    ),
    Source(
        "Sultan, Farley & Lehmann (1990) A meta-analysis of applications of diffusion models, "
        "J. Marketing Research 27(1):70-77",
        "the average coefficients p = 0.03/yr and q = 0.38/yr, as widely quoted (describe consumer "
        "durables, not online communities)",
        Evidence.RECALLED,
        ("outreach_rate", "word_of_mouth"),
    ),
)
#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption(
        "the follow-up, loop-closure and satisfaction mechanism, its form and every default",
        (
            "follow_up_share",
            "loop_closure",
            "base_satisfaction",
            "feedback_gain",
            "satisfaction_lag_days",
            "loyalty_rate",
            "active_churn",
            "loyal_churn",
            "onboarding_rate",
            "early_churn",
            "issue_rate",
            "answer_capacity",
        ),
    ),
    Assumption("referral pull of loyal members adds to word of mouth", ("referral_pull",)),
)


@dataclass(frozen=True)
class Stocks:
    """The loop's state at the end of each day: one run ``(days,)`` or a batch ``(S, days)``.

    Attributes
    ----------
    prospects, new, active, loyal, churned : ndarray of float
        Stocks in people; their sum is ``market_size`` every day.
    satisfaction : ndarray of float
        Mean member satisfaction, in [0, 1].
    answered : ndarray of float
        Share of the day's issues the team answered, in [0, 1].
    joined : ndarray of float
        Cumulative people acquired from the audience (founding members not included).
    """

    prospects: FloatArray
    new: FloatArray
    active: FloatArray
    loyal: FloatArray
    churned: FloatArray
    satisfaction: FloatArray
    answered: FloatArray
    joined: FloatArray

    @property
    def members(self) -> FloatArray:
        """Members (new + active + loyal) at the end of each day."""
        return self.new + self.active + self.loyal


#: Names of the :class:`Stocks` arrays, in order.
STOCKS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Stocks))


@dataclass(frozen=True)
class Result(DailyResult, Stocks):
    """Trajectory of one run: :class:`Stocks` of shape ``(days,)``; entry ``d`` is the end of day ``d``."""

    params: Params

    SERIES = (
        "prospects",
        "new",
        "active",
        "loyal",
        "churned",
        "members",
        "satisfaction",
        "answered",
        "joined",
    )

    def summary(self) -> dict[str, float]:
        """Monitor values on the last day.

        ``members`` (people), ``loyal_share_pct`` (% of members who are loyal),
        ``churned`` (people who left, cumulative), ``backlog_pct`` (% of the
        day's issues left unanswered), ``satisfaction`` (0-1), ``joined``
        (people acquired, cumulative).
        """
        return last_day_monitors(self)


def last_day_monitors(run: Stocks) -> dict[str, Any]:
    """Last-day monitors of a single run (floats) or of a batch (``(S,)`` arrays); keys as in :meth:`Result.summary`."""
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


def integrate(scenarios: Sequence[Params], days: int) -> dict[str, FloatArray]:
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
    out = {name: np.empty(shape) for name in STOCKS}
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


def _simulate(p: Params, seed: int) -> Result:
    """One scenario over ``p.days`` days (the ``S = 1`` case of :func:`~.scenarios.simulate_many`); ``seed`` is unused."""
    out = integrate([p], p.days)
    return Result(params=p, day=np.arange(p.days), **out)


MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS, deterministic=True)
simulate = MODEL.simulate
sweep = MODEL.sweep
