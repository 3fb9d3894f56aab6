"""Exercises of module 06: platform choice and traffic migration (model ``migration``).

Texts are in the catalogs ``ex06.toml``; expected values come from
:mod:`communitylab.models.migration` itself.
"""

from __future__ import annotations

import math

from communitylab.exercises.declare import comparison_exercise, plan_exercise
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind

SETUP = "import math\nfrom communitylab.models import migration"

DEFAULT_FRICTIONS = (0.4, 0.5, 1.2, 0.6, 0.8)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _campaign_conversion(motivation, frictions):
    result = 1.0
    for friction in frictions:
        result *= _sigmoid(motivation - friction)
    return result


def _summary(**changes) -> dict:
    from communitylab.models import migration

    return migration.simulate(migration.Params(**changes)).summary()


def _underestimate() -> float:
    summary = _summary()
    return summary["single_campaign_pct"] / summary["step_product_pct"]


EXERCISES = (
    Exercise(
        id="m06.q1",
        name="campaign_conversion",
        check=Function(
            _campaign_conversion,
            cases=(
                (0.0, DEFAULT_FRICTIONS),
                (2.0, DEFAULT_FRICTIONS),
                (-1.0, (0.4, 0.5, 0.3, 0.6, 0.8)),
                (1.0, (0.5,)),
            ),
        ),
        starter=(
            "def campaign_conversion(motivation, frictions):\n"
            "    chance = 1.0\n"
            "    for friction in frictions:\n"
            "        chance = ____\n"
            "    return chance"
        ),
        solution=(
            "def campaign_conversion(motivation, frictions):\n"
            "    chance = 1.0\n"
            "    for friction in frictions:\n"
            "        chance = chance / (1 + math.exp(-(motivation - friction)))\n"
            "    return chance"
        ),
        known_wrong=(
            Known("sign", answer=lambda z, fs: math.prod(_sigmoid(f - z) for f in fs)),
            Known("mean", answer=lambda z, fs: sum(_sigmoid(z - f) for f in fs) / len(fs)),
            Known("last_step", answer=lambda z, fs: _sigmoid(z - fs[-1])),
        ),
    ),
    Exercise(
        id="m06.q2",
        name="underestimate_factor",
        check=Value(_underestimate, rel_tol=0.02),
        starter="summary = migration.simulate(migration.Params()).summary()\nunderestimate_factor = ____",
        solution=(
            "summary = migration.simulate(migration.Params()).summary()\n"
            'underestimate_factor = summary["single_campaign_pct"] / summary["step_product_pct"]'
        ),
        known_wrong=(
            Known("inverted", answer=lambda: 1 / _underestimate()),
            Known(
                "difference",
                answer=lambda: _summary()["single_campaign_pct"] - _summary()["step_product_pct"],
            ),
        ),
    ),
    comparison_exercise(
        "m06.q3",
        "value_kept",
        "migration",
        "value_last_day",
        runs={"dual_track": {}, "closed": {"keep_wechat": False, "close_day": 30}},
        answer=("closed", "/", "dual_track"),
        known_wrong=(
            Known(
                "members",
                answer=lambda: (
                    _summary(keep_wechat=False, close_day=30)["app_members_last_day"]
                    / _summary()["app_members_last_day"]
                ),
            ),
            Known("no_loss", answer=1.0),
        ),
        rel_tol=0.02,
    ),
    plan_exercise(
        "m06.q4",
        "funnel_plan",
        "migration",
        {"mini_program": True, "friction_register": 0.2, "campaign_every_days": 14},
        goals=(
            Goal("app_members", "app_members_last_day", at_least=1000.0, unit="", digits=0),
            Goal("value_total", "value_total", at_least=1_800_000.0, unit="", digits=0),
        ),
        wrong=(
            (
                "app_install",
                lambda plan: not plan["mini_program"],
                {"friction_register": 0.2, "campaign_every_days": 14},
            ),
            (
                "registration",
                lambda plan: plan["friction_register"] >= 0.5,
                {"mini_program": True, "campaign_every_days": 14},
            ),
            (
                "too_often",
                lambda plan: plan["campaign_every_days"] <= 7,
                {"mini_program": True, "friction_register": 0.2},
            ),
            (
                "too_rare",
                lambda plan: plan["campaign_every_days"] >= 28,
                {"mini_program": True, "friction_register": 0.2, "campaign_every_days": 30},
            ),
        ),
    ),
    plan_exercise(
        "m06.q5",
        "platform_plan",
        "migration",
        {"keep_wechat": True, "close_day": -1, "campaign_every_days": 14},
        scenario={"keep_wechat": False, "close_day": 30},
        goals=(Goal("value_last_day", "value_last_day", at_least=4000.0, unit="", digits=0),),
        wrong=(
            ("closed", lambda plan: not plan["keep_wechat"] or plan["close_day"] >= 0, {"campaign_every_days": 14}),
            ("weekly", lambda plan: plan["campaign_every_days"] <= 7, {"keep_wechat": True, "close_day": -1}),
        ),
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
