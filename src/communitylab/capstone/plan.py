"""A team's capstone plan: the levers, what they cost, and the validation every way of submitting goes through.

Every lever is a parameter of :class:`communitylab.models.community.Params` (its
range, step, unit and default come from there); this module adds the lesson each
comes from and its cost in operator hours per week and yuan per month.

**Costs are course assumptions** (:data:`COSTS`), sized so that the default plan
uses about two thirds of the hours and a small part of the money, and no plan can
max out every pillar:

==================  ==========================================  =======================================
lever               hours per week                              yuan per month
==================  ==========================================  =======================================
posts_per_day       1 minute per message: ``7 * posts / 60``
follow_up_share     10 h at 1 (a welcome and a follow-up talk
                    for every newcomer at the default pace)
loop_closure        4 h at 1 (writing "you said, we did")
checkin             1.75 h (15 minutes a day)
moderators          0.5 h each (coordination)                   ¥200 each (a stipend or red packets)
selling_intensity   4 h at intensity 1
followers           3 h per tenfold above 100 followers
                    (content that keeps a following)
reach               --                                          ¥1,000 at 1 (promoting posts)
app                 3 h (a second channel)                      ¥800 (app subscription and hosting)
mini_program        --                                          ¥300 (a mini-program on top of the app)
campaign_every_days 1 h per campaign, with the app only
==================  ==========================================  =======================================

The limits, :data:`HOURS_PER_WEEK` = 30 (a part-time operator) and
:data:`YUAN_PER_MONTH` = 2,000, are course assumptions as well.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from communitylab.i18n import t
from communitylab.models import community

__all__ = [
    "Lever",
    "LEVERS",
    "LESSONS",
    "COSTS",
    "Budget",
    "budget",
    "make_plan",
    "lever_value",
    "plan_levers",
    "PlanError",
    "HOURS_PER_WEEK",
    "YUAN_PER_MONTH",
]

#: Operator hours a plan may use per week [course assumption: a part-time operator].
HOURS_PER_WEEK = 30.0
#: Money a plan may spend per month, in yuan [course assumption].
YUAN_PER_MONTH = 2000.0
#: Lesson each lever group comes from ("01" .. "06").
LESSONS: dict[str, str] = {
    "positioning": "01",
    "service": "02",
    "participation": "03",
    "revenue": "04",
    "brand": "05",
    "platform": "06",
}

Cost = Callable[[community.Params], float]

#: Cost of each lever: (hours per week, yuan per month) as functions of the plan [course assumptions, see above].
COSTS: dict[str, tuple[Cost, Cost]] = {
    "posts_per_day": (lambda p: 7 * p.posts_per_day / 60, lambda p: 0.0),
    "follow_up_share": (lambda p: 10 * p.follow_up_share, lambda p: 0.0),
    "loop_closure": (lambda p: 4 * p.loop_closure, lambda p: 0.0),
    "checkin": (lambda p: 1.75 * p.checkin, lambda p: 0.0),
    "moderators": (lambda p: 0.5 * p.moderators, lambda p: 200.0 * p.moderators),
    "selling_intensity": (lambda p: 4 * p.selling_intensity, lambda p: 0.0),
    "followers": (lambda p: 3 * math.log10(p.followers / 100), lambda p: 0.0),
    "reach": (lambda p: 0.0, lambda p: 1000.0 * p.reach),
    "app": (lambda p: 3.0 * p.app, lambda p: 800.0 * p.app),
    "mini_program": (lambda p: 0.0, lambda p: 300.0 * (p.app and p.mini_program)),
    "campaign_every_days": (lambda p: 7 / p.campaign_every_days if p.app else 0.0, lambda p: 0.0),
}


class PlanError(ValueError):
    """A plan that cannot be submitted; the message names the lever and its range, or the budget line exceeded.

    The message names a lever by its key (``posts_per_day``), as the command line takes it; a panel
    that shows levers by their labels retells it with :meth:`retold`.

    Attributes
    ----------
    lever : str or None
        The lever at fault, or ``None`` for the budget.
    key : str
        Catalog key of the message (``capstone.error.*``); ``""`` for a message from elsewhere (a model's rule).
    values : dict of str to object
        The values the message was formatted with.
    """

    def __init__(
        self, message: str, lever: str | None = None, *, key: str = "", values: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.lever = lever
        self.key = key
        self.values = dict(values or {})

    def retold(self, lang: str | None = None, **replacements: object) -> str:
        """The message formatted again with some of its values replaced, e.g. ``lever=`` the lever's label.

        A message from elsewhere than the catalog (a model's rule) comes back unchanged.
        """
        if not self.key:
            return str(self)
        return t(self.key, lang, **{**self.values, **replacements}).rstrip()


def _plan_error(key: str, lang: str | None, lever: str | None = None, **values: object) -> PlanError:
    """A :class:`PlanError` with the catalog message ``key``, keeping the key and values for :meth:`PlanError.retold`."""
    if lever is not None:
        values = {"lever": lever, **values}
    return PlanError(t(key, lang, **values).rstrip(), lever, key=key, values=values)


@dataclass(frozen=True)
class Lever:
    """One choice of a plan, as the plan panel and the command line show it.

    Attributes
    ----------
    name : str
        Parameter name in :class:`community.Params`.
    group : str
        Lever group (module): positioning, service, participation, revenue, brand, platform.
    lesson : str
        Lesson the lever comes from, ``"01"`` .. ``"06"``.
    lo, hi, step : float
        Allowed range and slider step (0, 1, 1 for an on/off lever).
    unit : str
        Unit of the value (``""`` for an on/off lever).
    default : float or int or bool
        Value of the default plan.
    kind : str
        ``"number"``, ``"integer"`` or ``"flag"``.
    log : bool
        Whether the panel should use a logarithmic slider.
    """

    name: str
    group: str
    lesson: str
    lo: float
    hi: float
    step: float
    unit: str
    default: float | int | bool
    kind: str
    log: bool

    @property
    def label_key(self) -> str:
        """Catalog key of the lever's label (the capstone model's own)."""
        return community.Params.label_key(self.name)


def _levers() -> tuple[Lever, ...]:
    defaults = community.Params.defaults()
    levers = []
    for name, spec in community.Params.specs().items():
        if spec.group not in LESSONS:  # the run length is the competition's, not a team's choice
            continue
        kind = "flag" if spec.boolean else "integer" if spec.integer else "number"
        levers.append(
            Lever(
                name,
                spec.group,
                LESSONS[spec.group],
                spec.lo,
                spec.hi,
                spec.step,
                spec.unit,
                defaults[name],
                kind,
                spec.log,
            )
        )
    return tuple(sorted(levers, key=lambda lever: lever.lesson))  # stable: declaration order within a lesson


#: Every lever of a plan, ordered by lesson (01-06), then as declared in the model.
LEVERS: tuple[Lever, ...] = _levers()
_BY_NAME = {lever.name: lever for lever in LEVERS}


@dataclass(frozen=True)
class Budget:
    """What a plan costs against the limits.

    Attributes
    ----------
    hours_per_week : float
        Operator hours the plan needs per week.
    yuan_per_month : float
        Money it spends per month (¥).
    lines : dict of str to (float, float)
        Each lever's (hours per week, yuan per month).
    HOURS_PER_WEEK, YUAN_PER_MONTH : float
        The limits (course assumptions).
    """

    hours_per_week: float
    yuan_per_month: float
    lines: dict[str, tuple[float, float]]
    HOURS_PER_WEEK: float = HOURS_PER_WEEK
    YUAN_PER_MONTH: float = YUAN_PER_MONTH

    @property
    def fits(self) -> bool:
        """Whether both the hours and the money stay within their limits."""
        return not self.exceeded

    @property
    def exceeded(self) -> list[str]:
        """Budget lines over their limit: ``"hours_per_week"``, ``"yuan_per_month"`` or none."""
        over = []
        if self.hours_per_week > self.HOURS_PER_WEEK + 1e-9:
            over.append("hours_per_week")
        if self.yuan_per_month > self.YUAN_PER_MONTH + 1e-9:
            over.append("yuan_per_month")
        return over


def budget(params: community.Params) -> Budget:
    """Hours per week and yuan per month a plan costs, lever by lever (see :data:`COSTS`)."""
    lines = {name: (float(hours(params)), float(yuan(params))) for name, (hours, yuan) in COSTS.items()}
    return Budget(
        hours_per_week=sum(h for h, _ in lines.values()),
        yuan_per_month=sum(y for _, y in lines.values()),
        lines=lines,
    )


def _range_error(lever: Lever, value: object, lang: str | None) -> PlanError:
    if lever.kind == "flag":
        return _plan_error("capstone.error.flag", lang, lever.name, value=value)
    return _plan_error(
        "capstone.error.range", lang, lever.name, value=value, lo=f"{lever.lo:g}", hi=f"{lever.hi:g}", unit=lever.unit
    )


def _value(lever: Lever, raw: object, lang: str | None) -> object:
    """A lever's value from a widget or from command-line text, checked against its range."""
    if isinstance(raw, str):
        text = raw
        try:
            raw = community.Params.parse(lever.name, text)
        except ValueError:
            raise _range_error(lever, text, lang) from None
        try:
            return _value(lever, raw, lang)
        except PlanError:
            raise _range_error(lever, text, lang) from None
    if lever.kind == "flag":
        if isinstance(raw, bool) or raw in (0, 1):
            return bool(raw)
        raise _range_error(lever, raw, lang)
    try:
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _range_error(lever, raw, lang) from None
    if isinstance(raw, bool) or not math.isfinite(number) or not lever.lo <= number <= lever.hi:
        raise _range_error(lever, raw, lang)
    if lever.kind == "integer":
        if number != int(number):
            raise _plan_error("capstone.error.integer", lang, lever.name, value=raw, unit=lever.unit)
        return int(number)
    return number


def lever_value(name: str, raw: object, lang: str | None = None) -> object:
    """One lever's value, checked against the lever's kind and range (the check :func:`make_plan` makes of each).

    Parameters
    ----------
    name : str
        The lever's name (a :class:`community.Params` field).
    raw : object
        Its value: a number, a boolean, or command-line text such as ``"0.3"`` or ``"on"``.
    lang : str, optional
        Language of the error message (default: the current language).

    Returns
    -------
    float or int or bool
        The value as the plan stores it.

    Raises
    ------
    PlanError
        For an unknown lever or a value outside the lever's range; the message names the lever by its key
        (:meth:`PlanError.retold` names it by a label).
    """
    lever = _BY_NAME.get(name)
    if lever is None:
        raise _plan_error("capstone.error.unknown", lang, name, known=", ".join(_BY_NAME))
    return _value(lever, raw, lang)


def make_plan(levers: Mapping[str, object], lang: str | None = None) -> community.Params:
    """A validated plan from lever values; levers not given keep the default plan's value.

    Parameters
    ----------
    levers : mapping of str to object
        Lever name -> value (numbers, booleans, or command-line text such as ``"0.3"`` or ``"on"``).
    lang : str, optional
        Language of the error message (default: the current language).

    Returns
    -------
    community.Params
        The plan, over the competition's default run length.

    Raises
    ------
    PlanError
        For an unknown lever, a value outside its range (the message names the lever and the range) or a plan
        over budget (the message names the budget line, what the plan needs and the limit).
    """
    values = {name: lever_value(name, raw, lang) for name, raw in levers.items()}
    try:
        plan = community.Params(**values)
    except ValueError as error:  # a rule across levers; the model's message names them
        raise PlanError(str(error)) from None
    cost = budget(plan)
    if "hours_per_week" in cost.exceeded:
        raise PlanError(t("capstone.error.hours", lang, need=f"{cost.hours_per_week:.1f}", limit=f"{HOURS_PER_WEEK:g}"))
    if "yuan_per_month" in cost.exceeded:
        raise PlanError(
            t("capstone.error.yuan", lang, need=f"{cost.yuan_per_month:,.0f}", limit=f"{YUAN_PER_MONTH:,.0f}")
        )
    return plan


def plan_levers(params: community.Params) -> dict[str, object]:
    """The lever values of a plan, ``{name: value}`` in :data:`LEVERS` order (what a submission stores)."""
    return {lever.name: getattr(params, lever.name) for lever in LEVERS}
