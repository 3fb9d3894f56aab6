""" "Monetization is a result": selling plans run against a community whose value grows (module 04).

The seed article ends its third part on "变现是结果", monetization is a result
(青木老贼 2016, part 3): a community is connection, participation and stories made
together, and money follows when those work. The core model
(:mod:`.model`) holds willingness to pay fixed; this module lets it follow the
value the community delivers, and compares plans that differ only in *when* they
sell:

    value delivered   v(t) = v0 + (1 - v0) * (1 - exp(-t / tau_v))        (share of the mature value)
    willingness       WTP_i(t) = WTP_i * v(t)                    every member's, in proportion
    eligible share    e(t) = 1 - Phi((ln P - ln(wtp_med * v(t))) / wtp_sigma)
    newly eligible    Fn * (e(t) - e(t-1)) / (1 - e(t-1))        free members whose WTP now clears the price
    selling           s(t) = s_early before ``switch_day``, s_late from then on

Everything else is the core model's daily step: conversion ``conv_max * a(s) / 30``
of eligible free members from day ``trial`` on, free churn ``churn_free * (1 +
gamma * s**2)`` (hard selling drives members out), paid churn ``m(P)`` a month,
cash ``P / 30`` a day per paying member. Moving a share of ``Fn`` is exact because
churn and arrivals do not depend on WTP: the free members below the price keep
the shape of the lognormal below it.

Course assumptions, not findings: that value grows on its own along ``v(t)`` (it
stands for what the service loop and the participation of modules 02 and 03
build, which this model does not simulate), its start ``v0`` and time scale
``tau_v``, and that it scales everyone's willingness to pay alike. Monthly plans only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from communitylab.models._model import FloatArray
from communitylab.models.monetization.model import MONTH_DAYS, Params, daily_rates, monthly_paid_churn

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Plan", "PlanRun", "SELL_FIRST", "VALUE_FIRST", "run_plan", "compare_plans", "selling_start_sweep"]

#: Value members see in a new community, as a share of what it gives them once it works (course assumption).
VALUE_START = 0.4
#: Days over which the value delivered closes about two thirds of the gap to maturity (course assumption).
VALUE_DAYS = 90.0
#: Horizon of the comparison: two years, so that a plan's first-year lead or lag can reverse.
PLAN_DAYS = 730


@dataclass(frozen=True)
class Plan:
    """When and how hard to sell: ``early_selling`` before ``switch_day``, ``late_selling`` from then on.

    Attributes
    ----------
    name : str
        Key of the plan (its label is ``show.label.monetization.<name>`` in the catalogs).
    early_selling, late_selling : float
        Selling intensities (0-2) before and from ``switch_day``.
    switch_day : int
        Day the plan changes intensity (days).
    """

    name: str
    early_selling: float
    late_selling: float
    switch_day: int

    def selling(self, days: int) -> FloatArray:
        """Selling intensity of each day, shape ``(days,)``."""
        return np.where(np.arange(days) < self.switch_day, self.early_selling, self.late_selling)


#: Sell hard from the first day, while the community has little to offer, then ease to the model's best intensity.
SELL_FIRST = Plan("sell_first", early_selling=1.0, late_selling=0.4, switch_day=90)
#: Sell nothing for the first 90 days, while the value builds, then sell at the same intensity.
VALUE_FIRST = Plan("value_first", early_selling=0.0, late_selling=0.4, switch_day=90)


@dataclass(frozen=True)
class PlanRun:
    """A plan's daily series; arrays of shape ``(days,)``, entry ``d`` at the end of day ``d``.

    Attributes
    ----------
    plan : Plan
    value : ndarray of float
        Value delivered, as a share of the mature value (0-1).
    free, paid : ndarray of float
        Free and paying members (members).
    revenue, cumulative_revenue : ndarray of float
        Cash collected that day (¥/day) and so far (¥).
    """

    plan: Plan
    value: FloatArray
    free: FloatArray
    paid: FloatArray
    revenue: FloatArray
    cumulative_revenue: FloatArray

    @property
    def members(self) -> FloatArray:
        """Free and paying members together (members)."""
        return self.free + self.paid


def value_curve(days: int, value_start: float = VALUE_START, value_days: float = VALUE_DAYS) -> FloatArray:
    """Value delivered on each day, ``v0 + (1 - v0) * (1 - exp(-t / tau_v))``, shape ``(days,)``."""
    if not 0 < value_start <= 1 or value_days <= 0:
        raise ValueError(f"value_start = {value_start!r} must be in (0, 1] and value_days = {value_days!r} above 0")
    t = np.arange(days, dtype=float)
    return value_start + (1 - value_start) * -np.expm1(-t / value_days)


def run_plan(
    params: Params, plan: Plan, *, value_start: float = VALUE_START, value_days: float = VALUE_DAYS
) -> PlanRun:
    """Step the monetization model under a selling plan, with willingness to pay following the value delivered.

    Parameters
    ----------
    params : Params
        The community and the offer; ``selling_intensity`` is replaced by the plan's
        schedule, ``days`` is the horizon. Monthly plans only.
    plan : Plan
        When and how hard to sell.
    value_start, value_days : float
        ``v0`` (share of the mature value on day 0) and ``tau_v`` (days).

    Returns
    -------
    PlanRun
        Value, free and paying members and cash, day by day.
    """
    p = params
    if p.annual_plan:
        raise ValueError("run_plan compares monthly prices; set annual_plan=False")
    days = p.days
    value = value_curve(days, value_start, value_days)
    selling = plan.selling(days)
    conversion, free_churn = daily_rates(p, selling)
    z = (math.log(p.price) - np.log(p.median_wtp * value)) / p.wtp_spread
    eligible = np.array([0.5 * math.erfc(x / math.sqrt(2.0)) for x in z])
    daily_paid_churn = 1.0 - (1.0 - float(monthly_paid_churn(p))) ** (1.0 / MONTH_DAYS)
    free_eligible = p.free_members * eligible[0]
    free_other = p.free_members - free_eligible
    paid = 0.0
    out = {name: np.empty(days) for name in ("free", "paid", "revenue")}
    for day in range(days):
        if day:  # members whose willingness now clears the price (value only grows)
            moved = free_other * (eligible[day] - eligible[day - 1]) / (1.0 - eligible[day - 1])
            free_eligible, free_other = free_eligible + moved, free_other - moved
        converted = conversion[day] * free_eligible if day >= p.trial_days else 0.0
        keep = 1.0 - free_churn[day]
        free_eligible = free_eligible * keep - converted
        free_other = free_other * keep
        lapsed = daily_paid_churn * paid  # members who start paying today do not cancel today
        out["revenue"][day] = (paid + converted) * p.price / MONTH_DAYS
        paid = paid + converted - lapsed
        # the day's newcomers arrive in the evening, split by today's value
        free_eligible += p.daily_inflow * eligible[day]
        free_other += p.daily_inflow * (1.0 - eligible[day])
        out["free"][day] = free_eligible + free_other
        out["paid"][day] = paid
    return PlanRun(plan=plan, value=value, cumulative_revenue=np.cumsum(out["revenue"]), **out)


def compare_plans(
    params: Params | None = None,
    plans: Iterable[Plan] = (SELL_FIRST, VALUE_FIRST),
    checkpoints: Iterable[int] = (90, 180, 365, 730),
    **value: float,
) -> pd.DataFrame:
    """Members, paying members and cash collected so far for each plan at a few days.

    Parameters
    ----------
    params : Params, optional
        The community and the offer; by default the model's defaults over two years.
    plans : iterable of Plan
    checkpoints : iterable of int
        Days (1-based: 365 is the end of the first year) at which to report.
    **value
        ``value_start`` and ``value_days`` for :func:`run_plan`.

    Returns
    -------
    pandas.DataFrame
        One row per (plan, day): ``plan``, ``day``, ``value_pct`` (%), ``members`` (free
        and paying) and ``paying`` (members), and ``cash_so_far`` (¥ collected up to that day).
    """
    import pandas as pd  # only here: the simulation kernels stay pandas-free

    p = params if params is not None else Params(days=PLAN_DAYS)
    rows = []
    for plan in plans:
        run = run_plan(p, plan, **value)
        for day in checkpoints:
            i = min(day, p.days) - 1
            rows.append(
                {
                    "plan": plan.name,
                    "day": i + 1,
                    "value_pct": 100 * run.value[i],
                    "members": run.members[i],
                    "paying": run.paid[i],
                    "cash_so_far": run.cumulative_revenue[i],
                }
            )
    return pd.DataFrame(rows)


def selling_start_sweep(
    params: Params | None = None,
    start_days: Iterable[int] = (0, 30, 60, 90, 120, 180, 270),
    selling: float = 0.4,
    **value: float,
) -> pd.DataFrame:
    """Cash and members after the horizon if selling (at ``selling``) starts on each of ``start_days``.

    Returns
    -------
    pandas.DataFrame
        One row per start day: ``start_day`` (days), ``members`` and ``paying`` on the
        last day (members), ``revenue`` (¥ over the horizon) and
        ``first_year_cash`` (¥ in the first 365 days).
    """
    import pandas as pd

    p = params if params is not None else Params(days=PLAN_DAYS)
    rows = []
    for start in start_days:
        run = run_plan(p, Plan(f"start_{start}", 0.0, selling, int(start)), **value)
        rows.append(
            {
                "start_day": int(start),
                "members": run.members[-1],
                "paying": run.paid[-1],
                "revenue": run.cumulative_revenue[-1],
                "first_year_cash": run.cumulative_revenue[min(365, p.days) - 1],
            }
        )
    return pd.DataFrame(rows)
