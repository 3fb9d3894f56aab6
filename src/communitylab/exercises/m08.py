"""Exercises of module 08: the capstone, every pillar in one plan (model ``community``).

Texts are in the catalogs ``ex08.toml``. The exercises use only the model's and the
capstone's public face -- ``community.Params``, ``community.simulate``,
``summary()["health_score"]``, ``community.health_components``, and the capstone's
``make_plan``, ``budget`` and ``score`` -- and compute every expected value from them,
so they follow the model when pillars are added, reweighted or recalibrated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from communitylab.capstone import plan as capstone
from communitylab.capstone import scoring
from communitylab.exercises.declare import comparison_exercise, dict_code, plan_exercise, wrong_answers
from communitylab.exercises.problem import Exercise, Function, Goal, Known, Value
from communitylab.exercises.view import bind
from communitylab.models import community

SETUP = (
    "import math\nfrom communitylab.models import community\n"
    "from communitylab.capstone import LEVERS, budget, make_plan, score"
)

#: The one-change plans of exercise 4, by the letter the learner answers with.
CHANGES = {
    "a": {"checkin": True},
    "b": {"price": 20.0},
    "c": {"posts_per_day": 5.0},
    "d": {"follow_up_share": 1.0},
}
#: Least share a pillar counts with in the score: a dead pillar counts as 1 %, so one plan that
#: starves a pillar still ranks above another that starves two (the capstone's course assumption;
#: a test ties it to ``community.SHARE_FLOOR``).
FLOOR = 0.01
#: Exercise 5's goals [course choice]: the leaderboard score (mean over its seeds) a defended plan reaches,
#: and the least mean share of its weakest pillar. Sized on the six-pillar model: the default plan scores about
#: 36, the best plans within the budget about 69; a WeChat group's platform share is 0.30 whatever the plan.
TARGET_SCORE = 65.0
WEAKEST_SHARE = 0.25
#: Exercise 5's worked plan (its other levers keep the default plan's values).
CAPSTONE_PLAN = {
    "niche_width": 0.2,
    "posts_per_day": 1.0,
    "checkin": True,
    "price": 20.0,
    "selling_intensity": 0.5,
    "reach": 0.5,
    "app": True,
    "mini_program": True,
}


def _run(**changes):
    return community.simulate(community.Params(**changes))


def _components(**changes) -> dict[str, float]:
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


def _best_change() -> str:
    return max(CHANGES, key=lambda letter: _score(**CHANGES[letter]))


@dataclass(frozen=True)
class Scored:
    """What exercise 5's goals measure: a plan, its leaderboard score and its budget."""

    params: community.Params
    score: scoring.Score
    cost: capstone.Budget


def _scored(params: community.Params, seed: int = 0) -> Scored:
    """The plan as the leaderboard scores it: all its seeds at once (cached), whatever the target's ``seed``."""
    return Scored(params, scoring.score(params), capstone.budget(params))


def _plan_scored(plan: Mapping[str, Any]) -> Scored:
    return _scored(community.Params(**plan))


def _weak(pillar: str):
    """Whether a plan within the budget fails because ``pillar`` is its weakest pillar and below the threshold."""

    def weak(plan: Mapping[str, Any]) -> bool:
        scored = _plan_scored(plan)
        shares = scored.score.pillars
        return scored.cost.fits and scored.score.weakest == pillar and shares[pillar] < WEAKEST_SHARE

    return weak


def _short(plan: Mapping[str, Any]) -> bool:
    """A balanced plan within the budget whose score is still short of the target."""
    scored = _plan_scored(plan)
    return scored.cost.fits and min(scored.score.pillars.values()) >= WEAKEST_SHARE


#: The pillars' shares of exercise 2's cases, keyed as the model names them.
SHARES = (
    ({"attention": 0.5, "participation": 0.5, "service_loop": 0.5, "monetization": 0.5},),
    ({"attention": 0.9, "participation": 0.9, "service_loop": 0.9, "monetization": 0.1},),
    (dict(zip(community.PILLARS, (0.8, 0.7, 0.6, 0.9, 0.2, 0.5), strict=True)),),
    (dict(zip(community.PILLARS, (1.0, 1.0, 0.01, 1.0, 1.0, 1.0), strict=True)),),
    (dict(zip(community.PILLARS, (0.0, 0.7, 0.8, 0.9, 0.6, 0.5), strict=True)),),
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
    comparison_exercise(
        "m08.q3",
        "loop_points",
        "community",
        "health_score",
        runs={"closed": {"loop_closure": 1.0}, "open_loop": {"loop_closure": 0.0}},
        answer=("closed", "-", "open_loop"),
        known_wrong=(
            Known("ratio", answer=lambda: _score(loop_closure=1.0) / _score(loop_closure=0.0), tolerance=0.01),
        ),
        abs_tol=0.1,
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
        known_wrong=wrong_answers(price="b", quieter="c", follow_up="d"),
    ),
    plan_exercise(
        "m08.q5",
        "capstone_plan",
        "community",
        CAPSTONE_PLAN,
        choose=tuple(lever.name for lever in capstone.LEVERS),
        run=_scored,
        goals=(
            Goal("health", lambda run: run.score.mean, at_least=TARGET_SCORE, unit="/100", digits=1),
            Goal("weakest", lambda run: 100 * min(run.score.pillars.values()), at_least=100 * WEAKEST_SHARE, unit="%"),
            Goal("hours", lambda run: run.cost.hours_per_week, at_most=capstone.HOURS_PER_WEEK, unit="hours"),
            Goal(
                "yuan", lambda run: run.cost.yuan_per_month, at_most=capstone.YUAN_PER_MONTH, unit="¥/month", digits=0
            ),
        ),
        wrong=(
            ("over_budget", lambda plan: not _plan_scored(plan).cost.fits, {"checkin": True, "moderators": 10}),
            ("weak_participation", _weak("participation"), {"price": 20.0}),
            ("weak_attention", _weak("attention"), {"checkin": True, "niche_width": 0.5}),
            ("weak_monetization", _weak("monetization"), {"checkin": True, "price": 300.0}),
            ("weak_brand", _weak("brand"), {"checkin": True, "followers": 1000, "reach": 0.1}),
            ("short", _short, {"checkin": True, "posts_per_day": 5.0}),
        ),
        starter=(
            "capstone_plan = dict(niche_width=____, posts_per_day=____, checkin=____, price=____,\n"
            "                     selling_intensity=____, reach=____, app=____)   # add any lever of LEVERS\n"
            "# plan = make_plan(capstone_plan); print(budget(plan).hours_per_week, score(plan).mean)"
        ),
        code=(
            f"{dict_code('capstone_plan', CAPSTONE_PLAN)}\n"
            "plan = make_plan(capstone_plan)   # refuses a plan over the budget, naming the line\n"
            "cost, scored = budget(plan), score(plan)\n"
            'print(f"{cost.hours_per_week:.1f} h/week, ¥{cost.yuan_per_month:,.0f}/month")\n'
            'print(f"score {scored.mean:.1f}, weakest {scored.weakest} at {min(scored.pillars.values()):.0%}")'
        ),
    ),
)

q1, q2, q3, q4, q5 = bind(EXERCISES)
