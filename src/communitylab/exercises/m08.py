"""Exercises of module 08: the capstone, every pillar in one plan (model ``community``).

Texts are in the catalogs ``ex08.toml``. The exercises use only the model's
public face -- ``community.Params``, ``community.simulate``, ``summary()["health_score"]``
and ``community.health_components`` -- and compute every expected value from the
model itself, so they follow it when pillars are added or reweighted.
"""

from __future__ import annotations

import math

from communitylab.exercises.problem import Exercise, Function, Goal, Known, Target, Value
from communitylab.exercises.view import bind

SETUP = "import math\nfrom communitylab.models import community"

#: The one-change plans of exercise 4, by the letter the learner answers with.
CHANGES = {
    "a": {"checkin": True},
    "b": {"price": 20.0},
    "c": {"posts_per_day": 5.0},
    "d": {"follow_up_share": 1.0},
}
#: Least share a pillar counts with in the score: a dead pillar counts as 1 %, so one plan that
#: starves a pillar still ranks above another that starves two (the capstone's course assumption).
FLOOR = 0.01
#: The team's budget in the capstone target: standing moderators the plan may recruit.
MODERATOR_BUDGET = 2


def _run(**changes):
    from communitylab.models import community

    return community.simulate(community.Params(**changes))


def _components(**changes) -> dict[str, float]:
    from communitylab.models import community

    return community.health_components(_run(**changes))


def _score(**changes) -> float:
    return float(_run(**changes).summary()["health_score"])


def _weakest() -> str:
    components = _components()
    return min(components, key=components.get)


def _strongest() -> str:
    components = _components()
    return max(components, key=components.get)


def _geometric_score(components):
    shares = [max(FLOOR, share) for share in components.values()]
    return 100 * math.prod(shares) ** (1 / len(shares))


def _loop_points() -> float:
    return _score(loop_closure=1.0) - _score(loop_closure=0.0)


def _best_change() -> str:
    return max(CHANGES, key=lambda letter: _score(**CHANGES[letter]))


def _weakest_pct(result) -> float:
    from communitylab.models import community

    return 100 * min(community.health_components(result).values())


SHARES = (
    ({"attention": 0.5, "participation": 0.5, "service": 0.5, "revenue": 0.5},),
    ({"attention": 0.9, "participation": 0.9, "service": 0.9, "revenue": 0.1},),
    ({"brand": 0.2, "attention": 0.8, "participation": 0.6, "service": 0.7, "revenue": 0.9, "platform": 0.5},),
    ({"brand": 1.0, "attention": 1.0, "participation": 0.01, "service": 1.0, "revenue": 1.0, "platform": 1.0},),
    ({"brand": 0.6, "attention": 0.0, "participation": 0.8, "service": 0.7, "revenue": 0.9, "platform": 0.5},),
)

EXERCISES = (
    Exercise(
        id="m08.q1",
        name="weakest_pillar",
        check=Value(_weakest),
        starter=(
            "plan = community.Params()\n"
            "shares = community.health_components(community.simulate(plan))\n"
            "weakest_pillar = ____   # the name of one component"
        ),
        solution=(
            "plan = community.Params()\n"
            "shares = community.health_components(community.simulate(plan))\n"
            "weakest_pillar = min(shares, key=shares.get)"
        ),
        known_wrong=(
            Known("strongest", answer=_strongest),
            Known("number", when=lambda answer: isinstance(answer, (int, float)), example=0.3),
        ),
    ),
    Exercise(
        id="m08.q2",
        name="health_score",
        check=Function(_geometric_score, cases=SHARES),
        starter=(
            "def health_score(shares):\n    values = [max(0.01, share) for share in shares.values()]\n    return ____"
        ),
        solution=(
            "def health_score(shares):\n"
            "    values = [max(0.01, share) for share in shares.values()]\n"
            "    return 100 * math.prod(values) ** (1 / len(values))"
        ),
        known_wrong=(
            Known("arithmetic", answer=lambda shares: 100 * sum(shares.values()) / len(shares)),
            Known("fraction", answer=lambda shares: _geometric_score(shares) / 100),
            Known("no_floor", answer=lambda shares: 100 * math.prod(shares.values()) ** (1 / len(shares))),
            Known("weakest", answer=lambda shares: 100 * min(shares.values())),
        ),
    ),
    Exercise(
        id="m08.q3",
        name="loop_points",
        check=Value(_loop_points, abs_tol=0.1),
        starter=(
            "closed = community.simulate(community.Params(loop_closure=1.0)).summary()\n"
            "open_loop = ____\n"
            "loop_points = ____"
        ),
        solution=(
            "closed = community.simulate(community.Params(loop_closure=1.0)).summary()\n"
            "open_loop = community.simulate(community.Params(loop_closure=0.0)).summary()\n"
            'loop_points = closed["health_score"] - open_loop["health_score"]'
        ),
        known_wrong=(
            Known("inverted", answer=lambda: -_loop_points(), tolerance=0.1),
            Known("ratio", answer=lambda: _score(loop_closure=1.0) / _score(loop_closure=0.0), tolerance=0.01),
        ),
    ),
    Exercise(
        id="m08.q4",
        name="best_change",
        check=Value(_best_change),
        starter=(
            'changes = {"a": dict(checkin=True), "b": dict(price=20.0),\n'
            '           "c": dict(posts_per_day=5.0), "d": dict(follow_up_share=1.0)}\n'
            'best_change = ____   # "a", "b", "c" or "d"'
        ),
        solution=(
            'changes = {"a": dict(checkin=True), "b": dict(price=20.0),\n'
            '           "c": dict(posts_per_day=5.0), "d": dict(follow_up_share=1.0)}\n'
            "scores = {k: community.simulate(community.Params(**v)).summary()['health_score'] for k, v in changes.items()}\n"
            "best_change = max(scores, key=scores.get)"
        ),
        known_wrong=(
            Known("price", answer="b"),
            Known("quieter", answer="c"),
            Known("follow_up", answer="d"),
        ),
    ),
    Exercise(
        id="m08.q5",
        name="capstone_plan",
        check=Target(
            model="community",
            choose=(
                "niche_width",
                "posts_per_day",
                "checkin",
                "moderators",
                "follow_up_share",
                "loop_closure",
                "price",
                "selling_intensity",
            ),
            goals=(
                Goal("health", "health_score", at_least=75.0, unit="/100", digits=1),
                Goal("weakest", _weakest_pct, at_least=35.0, unit="%", digits=0),
                Goal(
                    "moderators",
                    lambda result: result.params.moderators,
                    at_most=MODERATOR_BUDGET,
                    unit="people",
                    digits=0,
                ),
            ),
        ),
        starter=(
            "capstone_plan = dict(niche_width=____, posts_per_day=____, checkin=____, moderators=____,\n"
            "                     follow_up_share=____, loop_closure=____, price=____, selling_intensity=____)"
        ),
        solution=(
            "capstone_plan = dict(niche_width=0.2, posts_per_day=2, checkin=True, moderators=0,\n"
            "                     follow_up_share=1.0, loop_closure=1.0, price=20, selling_intensity=0.3)"
        ),
        known_wrong=(
            Known("over_budget", when=lambda plan: plan["moderators"] > MODERATOR_BUDGET, example={"moderators": 5}),
            Known("no_ritual", when=lambda plan: not plan["checkin"], example={"posts_per_day": 2.0}),
            Known("loud", when=lambda plan: plan["posts_per_day"] >= 10, example={"checkin": True}),
            Known(
                "hard_sell",
                when=lambda plan: plan["selling_intensity"] >= 0.8,
                example={"checkin": True, "posts_per_day": 2.0, "selling_intensity": 1.5},
            ),
        ),
        hints=3,
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
