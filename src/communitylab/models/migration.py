"""Model 6: platform choice and traffic migration (module 06).

An operator runs an overloaded WeChat group and asks members, in repeated
campaigns, to move to a dedicated app (a knowledge-community or live-class
app). Should WeChat stay as the traffic source (引流), or be closed?

Every member ``i`` has a motivation ``z_i ~ Normal(0, mot_sd)`` (logits). To
move, a member must pass five funnel steps (see the ask, click, install,
register, take a first action); step ``k`` has friction ``f_k`` and is passed
with probability ``sigmoid(z_i - f_k)``. One campaign converts a member with
probability

    c_i = prod_k sigmoid(z_i - f_k)

which is *not* the product of the average step rates: the same motivated
members pass every step (the steps are correlated through ``z_i``). A
mini-program replaces the install step's friction with 0.3.

Expected-value dynamics per member (probabilities in [0, 1]), one step a day:

* campaign every ``every`` days while WeChat is open:
  ``in_app_i += c_i * exp(-fatigue * exposures_i) * in_wechat_i * (1 - in_app_i)``,
  then ``exposures_i += 1`` for every member already there (each ask is answered less);
* app churn ``a_churn * exp(-a_habit * t)`` per day (calendar day ``t``: the app
  becomes a habit and churn falls); WeChat leaving ``w_leave`` per day;
* ``inflow`` newcomers a day arrive in WeChat while it is open and kept as the traffic source;
* closing WeChat on ``close_day`` empties it: no more newcomers, no more campaigns;
* value per day ``= (WeChat-only members) * v_w * read_w + (app members) * v_a * read_a``
  (value per engaged member times the attention share of the channel, cf. model 01).

Everything here is a course assumption: no published figure is reproduced
(funnel multiplication and fatigue are structural assumptions; see :data:`ASSUMPTIONS`).

Implementation: between campaigns every change is a common factor (leaving,
churn), so members are only touched on campaign days; daily totals come from
cumulative products. Beyond ``MAX_REPRESENTED`` members, each simulated member
stands for several (equal weights), which keeps a million-member run fast.

Spec shorthand -> names here: N members, f_k friction_see / friction_click /
friction_install / friction_register / friction_first_action, mot_sd
motivation_spread, every campaign_every_days, inflow daily_inflow, w_leave
wechat_leave_rate, a_churn app_churn, a_habit app_habit, v_w / v_a
value_wechat / value_app, read_w / read_a read_wechat / read_app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from communitylab.models._model import Assumption, DailyResult, FloatArray, Model
from communitylab.models._params import ModelParams, flag, param, run_days

__all__ = ["MODEL", "Params", "Result", "simulate", "sweep", "step_frictions", "conversion_probability", "STEPS"]

#: The funnel steps, in order.
STEPS: tuple[str, ...] = ("see", "click", "install", "register", "first_action")
#: Install friction when the app is a WeChat mini-program instead of a download.
MINI_PROGRAM_FRICTION = 0.3
#: Simulated members at most; larger audiences are represented by weighted members.
MAX_REPRESENTED = 20_000


@dataclass(frozen=True)
class Params(ModelParams):
    """Parameters of the migration model. Rates are per day; frictions and motivation are in logits."""

    model: ClassVar[str] = "migration"

    # Audience
    members: int = param(
        10_000, unit="members", lo=100, hi=1_000_000, step=100, integer=True, group="audience", log=True
    )
    daily_inflow: float = param(10.0, unit="members/day", lo=0, hi=10_000, step=1, group="audience", log=True)
    motivation_spread: float = param(1.0, unit="logits", lo=0, hi=3, step=0.05, group="audience")
    # Funnel
    friction_see: float = param(0.4, unit="logits", lo=0, hi=5, step=0.05, group="funnel")
    friction_click: float = param(0.5, unit="logits", lo=0, hi=5, step=0.05, group="funnel")
    friction_install: float = param(1.2, unit="logits", lo=0, hi=5, step=0.05, group="funnel")
    friction_register: float = param(0.6, unit="logits", lo=0, hi=5, step=0.05, group="funnel")
    friction_first_action: float = param(0.8, unit="logits", lo=0, hi=5, step=0.05, group="funnel")
    mini_program: bool = flag(False, group="funnel")
    # Campaigns and platforms
    campaign_every_days: int = param(7, unit="days", lo=1, hi=90, step=1, integer=True, group="plan")
    fatigue: float = param(0.15, unit="per exposure", lo=0, hi=2, step=0.01, group="plan")
    keep_wechat: bool = flag(True, group="plan")
    close_day: int = param(-1, unit="day", lo=-1, hi=730, step=1, integer=True, group="plan")
    # Retention
    wechat_leave_rate: float = param(0.002, unit="1/day", lo=0, hi=0.1, step=0.001, group="retention")
    app_churn: float = param(0.01, unit="1/day", lo=0, hi=0.2, step=0.001, group="retention")
    app_habit: float = param(0.004, unit="1/day", lo=0, hi=0.1, step=0.001, group="retention")
    # Value
    value_wechat: float = param(1.0, unit="value units", lo=0, hi=100, step=0.1, group="value")
    value_app: float = param(4.0, unit="value units", lo=0, hi=100, step=0.1, group="value")
    read_wechat: float = param(0.3, unit="fraction", lo=0, hi=1, step=0.01, group="value")
    read_app: float = param(0.7, unit="fraction", lo=0, hi=1, step=0.01, group="value")
    # Simulation
    days: int = run_days()


#: What the model rests on without a published source: course assumptions.
ASSUMPTIONS = (
    Assumption(
        "a funnel of five steps whose pass probabilities multiply, correlated through one motivation "
        "per member (a binary logit per step), with the default frictions and motivation spread",
        (
            "motivation_spread",
            "friction_see",
            "friction_click",
            "friction_install",
            "friction_register",
            "friction_first_action",
            "single_campaign_pct",
        ),
    ),
    Assumption(
        "a mini-program lowers the install friction to 0.3 logits",
        ("mini_program",),
    ),
    Assumption(
        "each campaign is answered less (fatigue); app churn falls as the app becomes a habit",
        ("fatigue", "app_churn", "app_habit", "wechat_leave_rate", "campaign_every_days"),
    ),
    Assumption(
        "value per engaged member and the attention share of each channel (echoing module 01)",
        ("value_wechat", "value_app", "read_wechat", "read_app", "value_last_day", "value_total"),
    ),
)


@dataclass(frozen=True)
class Result(DailyResult):
    """Members in WeChat and in the app and the value they create, day by day (arrays of shape ``(days,)``).

    Attributes
    ----------
    joined : (days,) ndarray of float
        Members who have ever been in the WeChat group by the end of the day (start plus newcomers).
    in_wechat : (days,) ndarray of float
        Expected members still in the WeChat group (whether or not also in the app).
    in_app : (days,) ndarray of float
        Expected active app members.
    wechat_only : (days,) ndarray of float
        Expected members in WeChat but not in the app.
    value_per_day : (days,) ndarray of float
        Value created that day (value units/day).
    app_gains : (days,) ndarray of float
        Members moved to the app that day (non-zero on campaign days only).
    weekly_app_gains : (weeks,) ndarray of float
        ``app_gains`` summed over days 0-6, 7-13, ...
    step_pass_rates : (5,) ndarray of float
        Mean pass probability of each funnel step over the starting members (see :data:`STEPS`).
    single_campaign_conversion : float
        Mean one-campaign conversion ``mean_i prod_k sigmoid(z_i - f_k)`` of the starting members.
    """

    params: Params
    joined: FloatArray
    in_wechat: FloatArray
    in_app: FloatArray
    wechat_only: FloatArray
    value_per_day: FloatArray
    app_gains: FloatArray
    weekly_app_gains: FloatArray
    step_pass_rates: FloatArray
    single_campaign_conversion: float

    SERIES = ("in_wechat", "in_app", "wechat_only", "value_per_day")

    def summary(self) -> dict[str, float]:
        """Monitor values.

        ``app_members_last_day``, ``app_peak`` (members) and ``app_peak_day`` (day);
        ``single_campaign_pct`` (% of the starting members one campaign moves) and
        ``step_product_pct`` (% predicted by multiplying the mean step rates);
        ``value_last_day`` (value units/day) and ``value_total`` (value units over the run).
        """
        peak = int(np.argmax(self.in_app))
        return {
            "app_members_last_day": float(self.in_app[-1]),
            "app_peak": float(self.in_app[peak]),
            "app_peak_day": float(peak),
            "single_campaign_pct": float(100 * self.single_campaign_conversion),
            "step_product_pct": float(100 * np.prod(self.step_pass_rates)),
            "value_last_day": float(self.value_per_day[-1]),
            "value_total": float(self.value_per_day.sum()),
        }


def step_frictions(params: Params) -> FloatArray:
    """Friction of each funnel step in :data:`STEPS` order (logits), with the mini-program applied."""
    p = params
    install = MINI_PROGRAM_FRICTION if p.mini_program else p.friction_install
    return np.array([p.friction_see, p.friction_click, install, p.friction_register, p.friction_first_action])


def _sigmoid(x: FloatArray) -> FloatArray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # tanh form: no overflow for large |x|


def conversion_probability(motivation: FloatArray, frictions: FloatArray) -> FloatArray:
    """One-campaign conversion of members with the given motivations.

    Parameters
    ----------
    motivation : (n,) ndarray of float
        Members' motivations ``z_i`` (logits).
    frictions : (k,) ndarray of float
        Friction of each step (logits).

    Returns
    -------
    (n,) ndarray of float
        ``prod_k sigmoid(z_i - f_k)``, in [0, 1].
    """
    return np.prod(_sigmoid(motivation[:, None] - frictions[None, :]), axis=1)


def _represented(p: Params) -> tuple[FloatArray, NDArray[np.int64], int]:
    """Weights and join days of the simulated members, ordered by join day, and how many start on day 0.

    Starting members join on day 0; newcomers arrive ``daily_inflow`` a day while
    WeChat is a kept, open traffic source. Counts are rounded on the cumulative
    total so fractional inflows add up exactly over time.
    """
    open_days = p.days if p.close_day < 0 else min(p.days, p.close_day)
    inflow_days = open_days if p.keep_wechat else 0
    total = p.members + p.daily_inflow * inflow_days
    scale = min(1.0, MAX_REPRESENTED / total)
    start_count = max(1, round(p.members * scale))
    cumulative = np.floor(p.daily_inflow * scale * np.arange(inflow_days + 1) + 1e-9).astype(np.int64)
    per_day = np.diff(cumulative)
    newcomer_weight = p.daily_inflow * inflow_days / per_day.sum() if per_day.sum() else 0.0
    weights = np.concatenate([np.full(start_count, p.members / start_count), np.full(per_day.sum(), newcomer_weight)])
    join_day = np.concatenate([np.zeros(start_count, dtype=np.int64), np.repeat(np.arange(inflow_days), per_day)])
    return weights, join_day, start_count


def _simulate(p: Params, seed: int) -> Result:
    """The migration over ``p.days`` days; ``seed`` draws the members' motivations."""
    rng = np.random.default_rng(seed)
    days = p.days
    day = np.arange(days)
    weights, join_day, start_count = _represented(p)
    motivation = rng.normal(0.0, p.motivation_spread, weights.size)
    frictions = step_frictions(p)
    conversion = conversion_probability(motivation, frictions)
    starters = slice(0, start_count)  # the monitors describe the members there at the start
    step_rates = _sigmoid(motivation[starters, None] - frictions[None, :]).mean(axis=0)
    single = float(conversion[starters].mean())

    # common daily factors: WeChat stay (1 - w) per day, app stay A(t) = prod_{u<t} (1 - churn(u))
    close = days if p.close_day < 0 else min(p.close_day, days)
    stay = 1.0 - p.wechat_leave_rate
    stay_pow = stay ** day.astype(float)
    churn = p.app_churn * np.exp(-p.app_habit * day)
    app_stay = np.concatenate([[1.0], np.cumprod(1.0 - churn)[:-1]])
    # a member who joined on day j is still in WeChat on day t with probability stay^(t - j)
    since_join = stay ** (-join_day.astype(float))

    app_scaled = np.zeros(weights.size)  # in_app_i(t) = app_scaled_i * app_stay(t)
    fatigue_factor = np.ones(weights.size)
    reachable = conversion * since_join  # c_i * stay^-j_i: times stay^t it is c_i * in_wechat_i
    weighted_since = weights * since_join
    arrived = np.searchsorted(join_day, day, side="right")  # members who have arrived by day t
    gains = np.zeros(days)
    app_sum = np.zeros(days)  # sum_i w_i app_scaled_i after the day's campaign
    both_sum = np.zeros(days)  # sum_i w_i app_scaled_i stay^-j_i (members in WeChat and app)
    running_app, running_both = 0.0, 0.0
    last = 0
    exposure_drop = np.exp(-p.fatigue)
    for t in range(0, close, p.campaign_every_days):
        app_sum[last:t] = running_app
        both_sum[last:t] = running_both
        n = int(arrived[t])
        # gain_i = c_i * fatigue_i * in_wechat_i * (1 - in_app_i), kept in app_stay units
        gain = app_scaled[:n] * -app_stay[t]
        gain += 1.0
        gain *= reachable[:n]
        gain *= fatigue_factor[:n]
        gain *= stay_pow[t] / app_stay[t]
        fatigue_factor[:n] *= exposure_drop
        app_scaled[:n] += gain
        moved = float(weights[:n] @ gain)
        gains[t] = moved * app_stay[t]
        running_app += moved
        running_both += float(weighted_since[:n] @ gain)
        last = t
    app_sum[last:] = running_app
    both_sum[last:] = running_both

    cohort = np.bincount(join_day, weights=weights, minlength=days)[:days]
    joined = np.cumsum(cohort)
    open_now = day < close
    in_wechat_total = np.where(open_now, stay_pow * np.cumsum(cohort * stay ** (-day.astype(float))), 0.0)
    in_app_total = app_stay * app_sum
    both = np.where(open_now, stay_pow * app_stay * both_sum, 0.0)
    wechat_only = np.maximum(in_wechat_total - both, 0.0)  # clip: float error near zero
    value = wechat_only * p.value_wechat * p.read_wechat + in_app_total * p.value_app * p.read_app
    weeks = -(-days // 7)
    weekly = np.bincount(day // 7, weights=gains, minlength=weeks)
    return Result(
        params=p,
        day=day,
        joined=joined,
        in_wechat=in_wechat_total,
        in_app=in_app_total,
        wechat_only=wechat_only,
        value_per_day=value,
        app_gains=gains,
        weekly_app_gains=weekly,
        step_pass_rates=step_rates,
        single_campaign_conversion=single,
    )


MODEL = Model(Params, Result, _simulate, assumptions=ASSUMPTIONS)
simulate = MODEL.simulate
sweep = MODEL.sweep
