"""Exercises of module 02: closed-loop service (model ``service_loop``).

Texts are in the catalogs ``ex02.toml``; expected values come from
:mod:`communitylab.models.service_loop` itself.
"""

from __future__ import annotations

import math

from communitylab.exercises.declare import comparison_exercise, plan_exercise, wrong_answers
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind

SETUP = "from communitylab.models import service_loop"


def _peak_year(p, q):
    return math.log(q / p) / (p + q)


def _answered_share(capacity, members, issue_rate):
    return min(1.0, capacity / (issue_rate * members))


def _first_year_share() -> float:
    from communitylab.models import service_loop

    return float(service_loop.bass_adoption(0.03, 0.38, 1.0))


def _members(**changes) -> float:
    from communitylab.models import service_loop

    return service_loop.simulate(service_loop.Params(**changes)).summary()["members"]


EXERCISES = (
    Exercise(
        id="m02.q1",
        name="bass_peak_year",
        check=Function(_peak_year, cases=((0.03, 0.38), (0.01, 0.5), (0.05, 0.3), (0.002, 0.9))),
        solution="import math\n\ndef bass_peak_year(p, q):\n    return math.log(q / p) / (p + q)",
        known_wrong=(
            Known("swapped", answer=lambda p, q: math.log(p / q) / (p + q)),
            Known("difference", answer=lambda p, q: math.log(q / p) / (q - p)),
            Known("no_log", answer=lambda p, q: (q / p) / (p + q)),
        ),
    ),
    Exercise(
        id="m02.q2",
        name="first_year_share",
        check=Value(_first_year_share, rel_tol=0.03),
        solution="first_year_share = float(service_loop.bass_adoption(0.03, 0.38, 1.0))",
        known_wrong=(
            Known("percent", answer=3.58),
            Known("innovators_only", answer=0.03),
            Known("sum", answer=0.41),
        ),
    ),
    Exercise(
        id="m02.q3",
        name="answered_share",
        check=Function(_answered_share, cases=((20, 179, 0.02), (2, 168, 0.02), (5, 1000, 0.02), (100, 50, 0.1))),
        solution="def answered_share(capacity, members, issue_rate):\n    return min(1.0, capacity / (issue_rate * members))",
        known_wrong=(
            Known("no_cap", answer=lambda c, m, r: c / (r * m)),
            Known("inverted", answer=lambda c, m, r: min(1.0, (r * m) / c)),
            Known("backlog", answer=lambda c, m, r: 1 - min(1.0, c / (r * m))),
        ),
    ),
    comparison_exercise(
        "m02.q4",
        "loop_gain",
        "service_loop",
        "members",
        runs={"closed": {"loop_closure": 1.0}, "open_loop": {"loop_closure": 0.0}},
        answer=("closed", "/", "open_loop"),
        known_wrong=(Known("difference", answer=lambda: _members(loop_closure=1.0) - _members(loop_closure=0.0)),),
        rel_tol=0.02,
    ),
    Exercise(
        id="m02.q5",
        name="best_lever",
        check=Value("b"),
        starter='best_lever = ____   # "a", "b", "c" or "d"',
        solution=(
            "base = service_loop.simulate(service_loop.Params()).summary()['members']\n"
            "changes = {'a': dict(answer_capacity=100), 'b': dict(follow_up_share=1.0),\n"
            "           'c': dict(word_of_mouth=0.76), 'd': dict(referral_pull=1.0)}\n"
            "gains = {k: service_loop.simulate(service_loop.Params(**v)).summary()['members'] - base for k, v in changes.items()}\n"
            "best_lever = max(gains, key=gains.get)"
        ),
        known_wrong=wrong_answers(capacity="a", word_of_mouth="c", referral="d"),
    ),
    plan_exercise(
        "m02.q6",
        "service_plan",
        "service_loop",
        {"follow_up_share": 0.8, "loop_closure": 1.0},
        scenario={"follow_up_share": 0.2, "loop_closure": 0.0},
        goals=(
            Goal("members", "members", at_least=200.0, unit="members", digits=0),
            Goal("loyal_share", "loyal_share_pct", at_least=70.0, unit="%", digits=1),
        ),
        wrong=(
            ("open_loop", lambda plan: plan["loop_closure"] < 0.5, {"follow_up_share": 1.0}),
            (
                "no_follow_up",
                lambda plan: plan["follow_up_share"] <= 0.5,
                {"follow_up_share": 0.5, "loop_closure": 1.0},
            ),
        ),
    ),
)

q1, q2, q3, q4, q5, q6 = bind(EXERCISES)
