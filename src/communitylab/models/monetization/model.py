"""Model 4: monetization (module 04): parameters, result and the daily step.

A free audience meets a paid offer. Willingness to pay (WTP, ¥/month) is
lognormal across members, so only the share whose WTP clears the price can ever
convert:

    e(P) = 1 - Phi((ln P - ln wtp_med) / wtp_sigma)
    annual plan: eligible if 12 * WTP * commit >= P_year

The state is aggregate: free eligible ``Fe``, free ineligible ``Fn``, paid
``Pd`` and cumulative cash. One step per day:

    awareness       a(s)  = 1 - exp(-s / s0)
    conversion      h     = conv_max * a(s) / 30        per day, from ``Fe``, once day >= trial
    free churn      c     = churn_free * (1 + gamma_sell * s**2)   per day, from Fe and Fn
    paid churn      m(P)  = m_ref * (P / P_ref)**elast  per month; daily 1 - (1 - m)**(1/30)
    cash            monthly plan: paid * P / 30 per day
                    annual plan: P_year when a member pays; no churn inside the year,
                    renewal 365 days later with probability (1 - m)**12
    LTV = P * margin / m(P);   CAC per paying member = cac_free / conversion

Within a day, conversions and free churn act on the morning's free stock, paid
churn on the morning's paying stock (nobody cancels on the day they start
paying), everyone paying that day pays for it, and the day's new free members
arrive in the evening. The trial is a launch period: no one is offered the paid
tier before day ``trial`` (the state has no per-member clock).

Spec shorthand -> names here: N free_members, inflow daily_inflow, wtp_med
median_wtp, wtp_sigma wtp_spread, price price, annual annual_plan, P_year
annual_price, commit commitment_discount, trial trial_days, conv_max
max_conversion, sell selling_intensity, s0 awareness_scale, churn_free
free_churn, gamma_sell selling_annoyance, m_ref paid_churn_at_reference, P_ref
reference_price, elast churn_price_elasticity, margin gross_margin, cac_free
cost_per_free_member.

The model is deterministic: ``seed`` is accepted (every model has the same
signature) and ignored.

Sources and course assumptions: :data:`SOURCES` and :data:`ASSUMPTIONS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from communitylab.models._model import Assumption, DailyResult, Evidence, FloatArray, Model, Source
from communitylab.models._params import ModelParams, flag, param, run_days

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "eligible_share", "monthly_paid_churn"]

#: Days in a billing month and in a plan year, as the spec counts them.
MONTH_DAYS = 30
YEAR_DAYS = 365


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the monetization model. Money is in ¥; rates are per day unless marked per month."""

    model: ClassVar[str] = "monetization"

    # Audience
    free_members: int = param(10000, unit="members", lo=100, hi=1_000_000, integer=True, group="audience", log=True)
    daily_inflow: float = param(10.0, unit="members/day", lo=0, hi=10_000, step=1, group="audience")
    median_wtp: float = param(20.0, unit="¥/month", lo=1, hi=2000, step=1, group="audience", log=True)
    wtp_spread: float = param(1.0, unit="log-sd", lo=0.1, hi=3, step=0.05, group="audience")
    # Offer
    price: float = param(30.0, unit="¥/month", lo=1, hi=5000, step=1, group="offer", log=True)
    annual_plan: bool = flag(False, group="offer")
    annual_price: float = param(299.0, unit="¥/year", lo=1, hi=20_000, step=1, group="offer", log=True)
    commitment_discount: float = param(0.8, unit="fraction", lo=0.3, hi=1, step=0.05, group="offer")
    trial_days: int = param(7, unit="days", lo=0, hi=90, integer=True, group="offer")
    # Selling
    selling_intensity: float = param(0.3, unit="0-2", lo=0, hi=2, step=0.05, group="selling")
    awareness_scale: float = param(0.3, unit="intensity", lo=0.05, hi=2, step=0.05, group="selling")
    max_conversion: float = param(0.025, unit="1/month", lo=0, hi=0.5, step=0.005, group="selling")
    selling_annoyance: float = param(4.0, unit="", lo=0, hi=20, step=0.5, group="selling")
    free_churn: float = param(0.004, unit="1/day", lo=0, hi=0.1, step=0.001, group="selling")
    # Paid churn
    paid_churn_at_reference: float = param(0.068, unit="1/month", lo=0, hi=0.5, step=0.002, group="churn")
    reference_price: float = param(30.0, unit="¥/month", lo=1, hi=5000, step=1, group="churn", log=True)
    churn_price_elasticity: float = param(0.5, unit="", lo=0, hi=2, step=0.05, group="churn")
    # Unit economics
    gross_margin: float = param(0.8, unit="fraction", lo=0, hi=1, step=0.05, group="economics")
    cost_per_free_member: float = param(2.0, unit="¥/member", lo=0, hi=1000, step=0.5, group="economics")
    # Simulation
    days: int = run_days(hi=1825)

    @property
    def plan_price(self) -> float:
        """What one payment costs: ``price`` (¥/month) or ``annual_price`` (¥/year) on the annual plan."""
        return self.annual_price if self.annual_plan else self.price

    @property
    def monthly_equivalent_price(self) -> float:
        """Price per month in ¥ (the annual fee divided by 12 on the annual plan)."""
        return self.annual_price / 12 if self.annual_plan else self.price


#: Published works the model takes forms or numbers from.
SOURCES = (
    Source(
        "Kumar (2014) Making 'freemium' work, Harvard Business Review 92(5)",
        "most freemium companies convert 2-5 % of free users; the defaults convert 2.36 %",
        fields=("max_conversion", "conversion_pct"),
    ),
    Source(
        "LTV/CAC >= 3, a rule of thumb of the SaaS-metrics literature",
        "the line at 3 on the unit-economics chart (a convention, not a law)",
        Evidence.COMMONLY_REPORTED,
        ("ltv_cac",),
    ),
)
#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption(
        "paid churn of 6.8 % a month at the reference price, rising with the square root of the price",
        ("paid_churn_at_reference", "reference_price", "churn_price_elasticity", "paid_churn_pct"),
    ),
    Assumption(
        "willingness to pay, awareness from selling and the annoyance of hard selling are teaching defaults",
        ("median_wtp", "wtp_spread", "awareness_scale", "selling_annoyance", "free_churn", "commitment_discount"),
    ),
    Assumption("the inverted U of cash against selling intensity is a property of this model, not a finding"),
)


@dataclass(frozen=True)
class Result(DailyResult):
    """Free and paying members and cash, day by day: arrays of shape ``(days,)``, entry ``d`` at the end of day ``d``.

    Attributes
    ----------
    free : (days,) ndarray of float
        Free members (members).
    paid : (days,) ndarray of float
        Paying members (members).
    new_paying : (days,) ndarray of float
        Free members who started paying that day (members/day).
    revenue : (days,) ndarray of float
        Cash collected that day (¥/day); on the annual plan the whole fee counts on the day it is paid.
    cumulative_revenue : (days,) ndarray of float
        Cash collected so far (¥).
    free_left, paid_left : (days,) ndarray of float
        Cumulative free members who left, and paying members who stopped paying (members).
        ``free + paid + free_left + paid_left`` equals ``free_members + daily_inflow * (d + 1)``.
    """

    params: Params
    free: FloatArray
    paid: FloatArray
    new_paying: FloatArray
    revenue: FloatArray
    cumulative_revenue: FloatArray
    free_left: FloatArray
    paid_left: FloatArray

    SERIES = ("free", "paid", "new_paying", "revenue", "cumulative_revenue")

    def summary(self) -> dict[str, float]:
        """Monitor values of the run.

        ``conversion_pct`` (% of all free members seen who started paying),
        ``paid_churn_pct`` (monthly paid churn at this price, %), ``ltv`` (¥ of
        gross margin per paying member), ``cac_paid`` (¥ of audience cost per
        paying member), ``ltv_cac`` (ratio), ``revenue`` (¥ collected over the
        run), ``first_year_cash`` (¥ collected in the first 365 days, or the
        whole run if shorter), ``paid_members`` (on the last day).
        """
        p = self.params
        seen = p.free_members + p.daily_inflow * p.days
        conversion = float(self.new_paying.sum()) / seen
        economics = unit_economics(p, np.asarray(p.monthly_equivalent_price), np.asarray(conversion))
        return {
            "conversion_pct": 100 * conversion,
            "paid_churn_pct": float(100 * economics["churn"]),
            "ltv": float(economics["ltv"]),
            "cac_paid": float(economics["cac"]),
            "ltv_cac": float(economics["ltv_cac"]),
            "revenue": float(self.cumulative_revenue[-1]),
            "first_year_cash": float(self.cumulative_revenue[min(YEAR_DAYS, p.days) - 1]),
            "paid_members": float(self.paid[-1]),
        }


_normal_cdf = np.vectorize(lambda z: 0.5 * math.erfc(-z / math.sqrt(2.0)), otypes=[float])


def eligible_share(params: Params, prices: ArrayLike | None = None) -> FloatArray:
    """Share of the audience whose willingness to pay clears the offer.

    Parameters
    ----------
    params : Params
        Supplies the WTP distribution, the plan and the commitment discount.
    prices : array_like of float, optional
        Plan prices (¥/month, or ¥/year on the annual plan); default ``params.plan_price``.

    Returns
    -------
    ndarray of float
        Shares in [0, 1], shape of ``prices``.
    """
    p = params
    prices = np.asarray(p.plan_price if prices is None else prices, dtype=float)
    # On the annual plan a member pays up front if a year at their discounted WTP covers the fee.
    threshold = prices / (12 * p.commitment_discount) if p.annual_plan else prices
    z = (np.log(threshold) - math.log(p.median_wtp)) / p.wtp_spread
    return 1.0 - _normal_cdf(z)


def monthly_paid_churn(params: Params, monthly_prices: ArrayLike | None = None) -> FloatArray:
    """Monthly churn of paying members at a price, ``m_ref * (P / P_ref) ** elast``, capped at 1.

    Parameters
    ----------
    params : Params
        Supplies the churn curve.
    monthly_prices : array_like of float, optional
        Prices in ¥/month; default ``params.monthly_equivalent_price``.

    Returns
    -------
    ndarray of float
        Share of paying members lost per month, in [0, 1].
    """
    p = params
    prices = np.asarray(p.monthly_equivalent_price if monthly_prices is None else monthly_prices, dtype=float)
    churn = p.paid_churn_at_reference * (prices / p.reference_price) ** p.churn_price_elasticity
    return np.minimum(churn, 1.0)


def daily_rates(p: Params, selling: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Daily conversion hazard of eligible free members and daily free churn at each selling intensity."""
    awareness = 1.0 - np.exp(-selling / p.awareness_scale)
    conversion = p.max_conversion * awareness / MONTH_DAYS
    churn = p.free_churn * (1.0 + p.selling_annoyance * selling**2)
    # cap: very hard selling cannot remove more free members than there are
    return conversion, np.minimum(churn, 1.0 - conversion)


def unit_economics(p: Params, monthly_prices: FloatArray, conversion: FloatArray) -> dict[str, FloatArray]:
    """Churn, LTV, CAC per paying member and LTV/CAC; inputs broadcast together.

    Infinite values are honest answers here: no churn gives an unbounded lifetime,
    no conversion an unbounded cost per paying member.
    """
    churn = monthly_paid_churn(p, monthly_prices)
    if p.annual_plan:
        # Paid a year at a time, churn deferred to the renewal: expected years = 1 / (1 - (1 - m)**12).
        lapse = 1.0 - (1.0 - churn) ** 12
        value = 12 * monthly_prices * p.gross_margin
    else:
        lapse = churn
        value = monthly_prices * p.gross_margin
    value, lapse, conversion = np.broadcast_arrays(value, lapse, conversion)
    cost = p.cost_per_free_member
    # over: a vanishing churn or conversion (e.g. 1e-308) overflows to inf, which is the answer
    with np.errstate(over="ignore"):
        ltv = np.divide(value, lapse, out=np.where(value > 0, np.inf, 0.0), where=lapse > 0)
        cac = np.divide(
            cost, conversion, out=np.full(conversion.shape, np.inf if cost > 0 else 0.0), where=conversion > 0
        )
        finite = np.isfinite(cac) & (cac > 0)
        ratio = np.divide(ltv, cac, out=np.where((cac == 0) & (ltv > 0), np.inf, 0.0), where=finite)
    return {"churn": churn, "ltv": ltv, "cac": cac, "ltv_cac": ratio}


def integrate(p: Params, plan_price, eligible, conversion, free_churn, paid_churn, *, record: bool):
    """Step the stocks for ``p.days`` days.

    ``plan_price`` (¥ per payment), ``eligible``, ``conversion`` (1/day),
    ``free_churn`` (1/day) and ``paid_churn`` (1/month) are floats for one run or
    arrays that broadcast to a grid. With ``record`` the per-day series are kept
    (one run); without, only totals (grid).
    """
    days = p.days
    free_eligible = p.free_members * eligible
    free_other = p.free_members - free_eligible
    inflow_eligible = p.daily_inflow * eligible
    inflow_other = p.daily_inflow - inflow_eligible
    keep_free = 1.0 - free_churn
    paid = 0.0 * free_eligible
    converted_total = 0.0 * free_eligible
    cash_total = 0.0 * free_eligible
    daily_paid_churn = 1.0 - (1.0 - paid_churn) ** (1.0 / MONTH_DAYS)
    renewal_keep = (1.0 - paid_churn) ** 12  # annual plan: a year's churn falls due at the renewal
    shape = np.broadcast_shapes(*(np.shape(x) for x in (plan_price, eligible, conversion, free_churn, paid_churn)))
    payers = np.zeros((days, *shape)) if p.annual_plan and days > YEAR_DAYS else None
    if record:
        series = {name: np.empty(days) for name in ("free", "paid", "new_paying", "revenue", "free_left", "paid_left")}
        free_left = paid_left = 0.0

    for day in range(days):
        converted = conversion * free_eligible if day >= p.trial_days else 0.0 * free_eligible
        if record:
            free_left = free_left + free_churn * (free_eligible + free_other)
            free_other = free_other * keep_free
        free_eligible = free_eligible * keep_free - converted
        if p.annual_plan:
            paying = converted
            lapsed = 0.0
            if payers is not None:
                if day >= YEAR_DAYS:
                    due = payers[day - YEAR_DAYS]
                    paying = converted + renewal_keep * due
                    lapsed = (1.0 - renewal_keep) * due
                payers[day] = paying
            cash = paying * plan_price
        else:
            # members who start paying today do not cancel today
            lapsed = daily_paid_churn * paid
            cash = (paid + converted) * (plan_price / MONTH_DAYS)
        paid = paid + converted - lapsed
        converted_total = converted_total + converted
        cash_total = cash_total + cash
        free_eligible = free_eligible + inflow_eligible
        if record:
            free_other = free_other + inflow_other
            paid_left = paid_left + lapsed
            series["free"][day] = free_eligible + free_other
            series["paid"][day] = paid
            series["new_paying"][day] = converted
            series["revenue"][day] = cash
            series["free_left"][day] = free_left
            series["paid_left"][day] = paid_left
    if record:
        return series
    return {"converted": converted_total, "cash": cash_total, "paid": paid}


def _simulate(p: Params, seed: int) -> Result:
    """Free and paying members and cash over ``p.days`` days; ``seed`` is unused."""
    conversion, free_churn = daily_rates(p, np.asarray(p.selling_intensity))
    # Python floats: one run steps about twenty times faster than with 0-d arrays.
    series = integrate(
        p,
        p.plan_price,
        float(eligible_share(p)),
        float(conversion),
        float(free_churn),
        float(monthly_paid_churn(p)),
        record=True,
    )
    return Result(
        params=p,
        day=np.arange(p.days),
        cumulative_revenue=np.cumsum(series["revenue"]),
        **series,
    )


MODEL = Model(Params, Result, _simulate, sources=SOURCES, assumptions=ASSUMPTIONS, deterministic=True)
simulate = MODEL.simulate
sweep = MODEL.sweep
