"""Exercises of module 04: monetization (model ``monetization``).

Texts are in the catalogs ``ex04.toml``; expected values come from
:mod:`communitylab.models.monetization` itself. Prices are illustrative.
"""

from __future__ import annotations

from communitylab.exercises.declare import plan_exercise
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind

SETUP = "from communitylab.models import monetization"

PRICES = (10, 20, 30, 40, 50)


def _ltv(price, margin, monthly_churn):
    return price * margin / monthly_churn


def _eligible_at_30() -> float:
    from communitylab.models import monetization

    return float(monetization.eligible_share(monetization.Params(), [30])[0])


def _failing_prices() -> list:
    from communitylab.models import monetization

    return [p for p in PRICES if monetization.simulate(monetization.Params(price=p)).summary()["ltv_cac"] < 3]


EXERCISES = (
    Exercise(
        id="m04.q1",
        name="lifetime_value",
        check=Function(_ltv, cases=((30, 0.8, 0.068), (10, 0.8, 0.0393), (99, 0.5, 0.1), (50, 1.0, 0.0878))),
        solution="def lifetime_value(price, margin, monthly_churn):\n    return price * margin / monthly_churn",
        known_wrong=(
            Known("no_margin", answer=lambda p, m, c: p / c),
            Known("times_churn", answer=lambda p, m, c: p * m * c),
            Known("yearly", answer=lambda p, m, c: 12 * p * m),
        ),
    ),
    Exercise(
        id="m04.q2",
        name="eligible_share",
        check=Value(_eligible_at_30, rel_tol=0.01),
        solution="eligible_share = float(monetization.eligible_share(monetization.Params(), [30])[0])",
        known_wrong=(
            Known("median", answer=0.5, tolerance=0.02),
            Known("below", answer=lambda: 1 - _eligible_at_30(), tolerance=0.01),
            Known("percent", answer=lambda: 100 * _eligible_at_30(), tolerance=1.0),
        ),
    ),
    Exercise(
        id="m04.q3",
        name="failing_prices",
        check=Value(_failing_prices),
        starter=("prices = [10, 20, 30, 40, 50]\nfailing_prices = ____"),
        solution=(
            "prices = [10, 20, 30, 40, 50]\n"
            "failing_prices = [p for p in prices\n"
            '                  if monetization.simulate(monetization.Params(price=p)).summary()["ltv_cac"] < 3]'
        ),
        known_wrong=(
            Known("passing", answer=[10, 20, 30, 40]),
            Known(
                "cheapest",
                when=lambda answer: isinstance(answer, list) and 10 in answer,
                example=[10],
            ),
            Known("scalar", when=lambda answer: isinstance(answer, (int, float)), example=50),
        ),
    ),
    plan_exercise(
        "m04.q4",
        "offer_plan",
        "monetization",
        {"price": 20, "selling_intensity": 0.4},
        goals=(
            Goal("revenue", "revenue", at_least=56000.0, unit="¥", digits=0),
            Goal("ltv_cac", "ltv_cac", at_least=4.5, unit="", digits=2),
        ),
        wrong=(
            ("hard_sell", lambda plan: plan["selling_intensity"] >= 0.8, {"price": 20, "selling_intensity": 1.0}),
            ("too_quiet", lambda plan: plan["selling_intensity"] <= 0.15, {"price": 20, "selling_intensity": 0.1}),
            ("expensive", lambda plan: plan["price"] >= 35, {"price": 40, "selling_intensity": 0.4}),
        ),
    ),
    plan_exercise(
        "m04.q5",
        "annual_plan",
        "monetization",
        {"annual_price": 269},
        scenario={"annual_plan": True, "annual_price": 99.0},
        goals=(Goal("first_year_cash", "first_year_cash", at_least=92000.0, unit="¥", digits=0),),
        wrong=(
            ("too_cheap", lambda plan: plan["annual_price"] < 230, {"annual_price": 199}),
            ("too_dear", lambda plan: plan["annual_price"] > 320, {"annual_price": 365}),
        ),
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
