"""Exercises of module 02: closed-loop service (model ``service_loop``).

Texts are in the catalogs ``ex02.toml``; expected values come from
:mod:`communitylab.models.service_loop` itself.
"""

from __future__ import annotations

import math

from communitylab.exercises.problem import Exercise, Function, Goal, Known, Target, Value
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


def _loop_gain() -> float:
    return _members(loop_closure=1.0) / _members(loop_closure=0.0)


EXERCISES = (
    Exercise(
        id="m02.q1",
        title="ex02.q1.title",
        prompt="ex02.q1.prompt",
        name="bass_peak_year",
        check=Function(_peak_year, cases=((0.03, 0.38), (0.01, 0.5), (0.05, 0.3), (0.002, 0.9))),
        starter="import math\n\ndef bass_peak_year(p, q):\n    return ____",
        solution="import math\n\ndef bass_peak_year(p, q):\n    return math.log(q / p) / (p + q)",
        known_wrong=(
            Known("swapped", "ex02.q1.wrong.swapped", answer=lambda p, q: math.log(p / q) / (p + q)),
            Known("difference", "ex02.q1.wrong.difference", answer=lambda p, q: math.log(q / p) / (q - p)),
            Known("no_log", "ex02.q1.wrong.no_log", answer=lambda p, q: (q / p) / (p + q)),
        ),
        hints=("ex02.q1.hint.1", "ex02.q1.hint.2"),
    ),
    Exercise(
        id="m02.q2",
        title="ex02.q2.title",
        prompt="ex02.q2.prompt",
        name="first_year_share",
        check=Value(_first_year_share, rel_tol=0.03),
        starter="first_year_share = ____",
        solution="first_year_share = float(service_loop.bass_adoption(0.03, 0.38, 1.0))",
        known_wrong=(
            Known("percent", "ex02.q2.wrong.percent", answer=3.58),
            Known("innovators_only", "ex02.q2.wrong.innovators_only", answer=0.03),
            Known("sum", "ex02.q2.wrong.sum", answer=0.41),
        ),
        hints=("ex02.q2.hint.1", "ex02.q2.hint.2"),
    ),
    Exercise(
        id="m02.q3",
        title="ex02.q3.title",
        prompt="ex02.q3.prompt",
        name="answered_share",
        check=Function(_answered_share, cases=((20, 179, 0.02), (2, 168, 0.02), (5, 1000, 0.02), (100, 50, 0.1))),
        starter="def answered_share(capacity, members, issue_rate):\n    return ____",
        solution="def answered_share(capacity, members, issue_rate):\n    return min(1.0, capacity / (issue_rate * members))",
        known_wrong=(
            Known("no_cap", "ex02.q3.wrong.no_cap", answer=lambda c, m, r: c / (r * m)),
            Known("inverted", "ex02.q3.wrong.inverted", answer=lambda c, m, r: min(1.0, (r * m) / c)),
            Known("backlog", "ex02.q3.wrong.backlog", answer=lambda c, m, r: 1 - min(1.0, c / (r * m))),
        ),
        hints=("ex02.q3.hint.1", "ex02.q3.hint.2"),
    ),
    Exercise(
        id="m02.q4",
        title="ex02.q4.title",
        prompt="ex02.q4.prompt",
        name="loop_gain",
        check=Value(_loop_gain, rel_tol=0.02),
        starter=(
            "closed = service_loop.simulate(service_loop.Params(loop_closure=1.0)).summary()\n"
            "open_loop = ____\n"
            "loop_gain = ____"
        ),
        solution=(
            "closed = service_loop.simulate(service_loop.Params(loop_closure=1.0)).summary()\n"
            "open_loop = service_loop.simulate(service_loop.Params(loop_closure=0.0)).summary()\n"
            'loop_gain = closed["members"] / open_loop["members"]'
        ),
        known_wrong=(
            Known("inverted", "ex02.q4.wrong.inverted", answer=lambda: 1 / _loop_gain()),
            Known(
                "difference",
                "ex02.q4.wrong.difference",
                answer=lambda: _members(loop_closure=1.0) - _members(loop_closure=0.0),
            ),
        ),
        hints=("ex02.q4.hint.1", "ex02.q4.hint.2"),
    ),
    Exercise(
        id="m02.q5",
        title="ex02.q5.title",
        prompt="ex02.q5.prompt",
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
        known_wrong=(
            Known("capacity", "ex02.q5.wrong.capacity", answer="a"),
            Known("word_of_mouth", "ex02.q5.wrong.word_of_mouth", answer="c"),
            Known("referral", "ex02.q5.wrong.referral", answer="d"),
        ),
        hints=("ex02.q5.hint.1", "ex02.q5.hint.2"),
    ),
    Exercise(
        id="m02.q6",
        title="ex02.q6.title",
        prompt="ex02.q6.prompt",
        name="service_plan",
        check=Target(
            model="service_loop",
            choose=("follow_up_share", "loop_closure"),
            scenario={"follow_up_share": 0.2, "loop_closure": 0.0},
            goals=(
                Goal("ex02.goal.members", "members", at_least=200.0, unit="members", digits=0),
                Goal("ex02.goal.loyal_share", "loyal_share_pct", at_least=70.0, unit="%", digits=1),
            ),
        ),
        starter="service_plan = dict(follow_up_share=____, loop_closure=____)",
        solution="service_plan = dict(follow_up_share=0.8, loop_closure=1.0)",
        known_wrong=(
            Known(
                "open_loop",
                "ex02.q6.wrong.open_loop",
                when=lambda plan: plan.get("loop_closure", 0.0) < 0.5,
                example={"follow_up_share": 1.0, "loop_closure": 0.0},
            ),
            Known(
                "no_follow_up",
                "ex02.q6.wrong.no_follow_up",
                when=lambda plan: plan.get("follow_up_share", 0.2) <= 0.5,
                example={"follow_up_share": 0.5, "loop_closure": 1.0},
            ),
        ),
        hints=("ex02.q6.hint.1", "ex02.q6.hint.2", "ex02.q6.hint.3"),
        reveal_after=3,
    ),
)

q1, q2, q3, q4, q5, q6 = bind(EXERCISES)
